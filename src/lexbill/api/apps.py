from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lexbill.api"
    label = "lexbill_api"
