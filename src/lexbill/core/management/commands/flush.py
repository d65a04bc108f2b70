"""Django's `flush`, with the row guards suspended: emptying every table is what flush is for.

Test teardown of transactional tests calls it. PostgreSQL empties tables with TRUNCATE, which row triggers do
not see; SQLite uses DELETE, which the guards of issued invoices and audit events would refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from lexbill.core.guards import guards_suspended


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with guards_suspended(connection):
            super().handle(**options)
