"""Every column of a guarded table is guarded: read the triggers the database really has and compare them with the
models' columns. A migration that adds a column to one of these tables without re-installing its guard
(core/guards.py `guard_install`) fails here, on SQLite and on PostgreSQL."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from lexbill.billing.immutability import SET_ONCE_FIELDS
from lexbill.billing.models import Invoice, InvoiceDocument, InvoiceLine, InvoiceTax
from lexbill.core.audit import SEAL_FIELDS
from lexbill.core.guards import guard_drop_sql, guard_installed, guard_sql
from lexbill.core.models import AuditEvent

# Each guarded model, with the documented columns that may go from empty to a value once.
GUARDED: dict[Any, set[str]] = {
    Invoice: set(SET_ONCE_FIELDS[Invoice]),
    InvoiceLine: set(),
    InvoiceTax: set(),
    InvoiceDocument: set(),
    AuditEvent: set(SEAL_FIELDS),
}


def unguarded(model: Any, set_once: set[str]) -> dict[str, Any]:
    """What the installed guard of `model`'s table misses (empty when it holds every column)."""
    guard = guard_installed(connection, model._meta.db_table)
    columns = {f.column for f in model._meta.concrete_fields}
    expected_once = {model._meta.get_field(name).column for name in set_once}
    missing = {
        "refuses_update": guard.refuses_update,
        "refuses_delete": guard.refuses_delete,
        "columns not guarded": sorted(columns - expected_once - guard.frozen_columns),
        "set-once columns not as documented": sorted(expected_once ^ guard.set_once_columns),
        "guarded columns the model does not have": sorted((guard.frozen_columns | guard.set_once_columns) - columns),
    }
    return {k: v for k, v in missing.items() if v not in (True, [])}


@pytest.mark.parametrize("model", list(GUARDED), ids=lambda m: m._meta.label)
def test_every_column_of_a_guarded_table_is_guarded(db, model):
    assert unguarded(model, GUARDED[model]) == {}


def test_a_guard_left_over_from_before_new_columns_is_caught(db):
    """The invoice's guard as it would be if migration 0003 (split payors) had not re-installed it."""
    old_invoice = MigrationLoader(connection).project_state(("billing", "0002_invoice_frozen_triggers")).apps \
        .get_model("billing", "Invoice")
    with connection.cursor() as cursor:  # inside the test's transaction: rolled back after it
        for statement in [*guard_drop_sql("billing_invoice", connection.vendor),
                          *guard_sql(old_invoice, connection.vendor, set_once=["pdf_sha256"])]:
            cursor.execute(statement)

    assert unguarded(Invoice, GUARDED[Invoice]) == {
        "columns not guarded": ["payor_matter_id", "payor_share_bp", "snapshot"]}
