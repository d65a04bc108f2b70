from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lexbill.core"
    label = "core"
