from django.apps import AppConfig


class RatesConfig(AppConfig):
    name = "lexbill.rates"
    label = "rates"
