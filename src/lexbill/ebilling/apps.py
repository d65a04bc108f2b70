from django.apps import AppConfig


class EbillingConfig(AppConfig):
    name = "lexbill.ebilling"
    label = "ebilling"
