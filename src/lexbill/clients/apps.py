from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "lexbill.clients"
    label = "clients"

    def ready(self) -> None:
        from lexbill.staff.services import TIMEKEEPER_CHECKS

        from .ledes_limits import check_ebilling_timekeeper

        if check_ebilling_timekeeper not in TIMEKEEPER_CHECKS:
            TIMEKEEPER_CHECKS.append(check_ebilling_timekeeper)
