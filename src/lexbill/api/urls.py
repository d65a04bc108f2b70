from ninja import NinjaAPI

api = NinjaAPI(title="lexbill API", version="1", urls_namespace="api")
