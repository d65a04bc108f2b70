from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "lexbill.staff"
    label = "staff"
    verbose_name = "Timekeepers"
