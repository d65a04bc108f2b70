from django.apps import AppConfig


class TimekeepingConfig(AppConfig):
    name = "lexbill.timekeeping"
    label = "timekeeping"
