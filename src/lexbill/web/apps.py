from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lexbill.web"
    label = "lexbill_web"
