from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_guard_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    # The SQLite row guards (core/guards.py) call this function; every lexbill connection must have it.
    if connection.vendor == "sqlite":
        from .guards import register_sqlite_function

        register_sqlite_function(connection)


class CoreConfig(AppConfig):
    name = "lexbill.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_guard_function, dispatch_uid="lexbill.core.guards")
