from django.apps import AppConfig


class EbillingConfig(AppConfig):
    name = "lexbill.ebilling"
    label = "ebilling"

    def ready(self) -> None:
        from . import bulk_files, frozen_ids
        from .ledes_limits import register_checks

        register_checks()
        frozen_ids.register()
        bulk_files.register()
