from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "lexbill.billing"
    label = "billing"

    def ready(self) -> None:
        from . import immutability  # noqa: F401  (connects the signals that keep issued invoices frozen)
