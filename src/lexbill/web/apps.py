from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lexbill.web"
    label = "lexbill_web"

    def ready(self) -> None:
        # Connects the login signal that remembers a one-time password (before any request is served).
        from . import middleware  # noqa: F401
