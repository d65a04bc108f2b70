from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "lexbill.billing"
    label = "billing"
