from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "lexbill.clients"
    label = "clients"
