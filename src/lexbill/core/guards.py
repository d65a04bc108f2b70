"""Row guards: database triggers that refuse UPDATE and DELETE of rows that must never change.

Issued invoices (their lines and taxes) and audit events are written once. Python refuses changes made
through model saves (`billing/immutability.py`); these triggers refuse `QuerySet.update()`, raw SQL and other
programs, on PostgreSQL and SQLite alike.

The trigger SQL is generated from a model's concrete columns, so a migration passes the *historical* model
(`apps.get_model(...)`) and a later migration that adds a column calls `guard_install` again (SQLite drops a
table's triggers whenever it rebuilds the table to alter it). `tests/test_database_guards.py` reads the
installed triggers back and fails when a column of a guarded table is not covered.

A guarded row may change in one way only: a *set-once* column goes from empty (NULL or '') to a value, every
other column staying the same (an invoice's PDF hash; an audit event's place in the chain).

Legitimate bulk removal suspends the guards for one transaction (`guards_suspended`): Django's `flush`
(test teardown on SQLite; PostgreSQL empties tables with TRUNCATE, which row triggers do not see) and data
migrations that must rewrite guarded rows. Anyone who can run SQL can also suspend or drop a trigger: the
guards stop mistakes and bugs; the audit chain's keyed hashes (core/audit.py) are what show deliberate
tampering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

# PostgreSQL: a custom setting, read with current_setting(..., missing_ok) and set with SET LOCAL, so the
# suspension ends with the transaction. SQLite: an application function registered on every connection.
PG_SETTING = "lexbill.guards"
SQLITE_FUNCTION = "lexbill_guards_off"
_SUSPENDED_ATTR = "_lexbill_guards_suspended"


def _text_like(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, (models.CharField, models.TextField, models.BinaryField))


def _columns(model: type[models.Model]) -> list[tuple[str, models.Field[Any, Any]]]:
    return [(f.column, f) for f in model._meta.concrete_fields if f.column]


def _check_set_once(model: type[models.Model], set_once: Iterable[str]) -> set[str]:
    """The columns of the named set-once fields (a typo fails the migration instead of guarding nothing)."""
    columns = dict((f.name, column) for column, f in _columns(model))
    missing = set(set_once) - set(columns)
    if missing:
        raise ValueError(f"{model._meta.label} has no column for {sorted(missing)}")
    return {columns[name] for name in set_once}


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _empty(field: models.Field[Any, Any], old: str) -> str:
    # length() works on text and blobs on both databases; '' and X'' are different values in SQLite
    return f"({old} IS NULL OR length({old}) = 0)" if _text_like(field) else f"{old} IS NULL"


def _sqlite_sql(table: str, model: type[models.Model], set_once: set[str]) -> list[str]:
    parts = []
    for column, field in _columns(model):
        col = _quote(column)
        if column in set_once:
            parts.append(f"(NEW.{col} IS OLD.{col} OR {_empty(field, 'OLD.' + col)})")
        else:
            parts.append(f"NEW.{col} IS OLD.{col}")
    allowed = " AND ".join(parts)
    return [
        f"CREATE TRIGGER {table}_guard_update BEFORE UPDATE ON {table} "
        f"WHEN NOT {SQLITE_FUNCTION}() AND NOT ({allowed}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot change'); END",
        f"CREATE TRIGGER {table}_guard_delete BEFORE DELETE ON {table} WHEN NOT {SQLITE_FUNCTION}() "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be deleted'); END",
    ]


def _pg_sql(table: str, model: type[models.Model], set_once: set[str]) -> list[str]:
    checks = []
    for column, field in _columns(model):
        col = _quote(column)
        if column in set_once:
            checks.append(f"(NEW.{col} IS DISTINCT FROM OLD.{col} AND NOT {_empty(field, 'OLD.' + col)})")
        else:
            checks.append(f"NEW.{col} IS DISTINCT FROM OLD.{col}")
    changed = "\n       OR ".join(checks)
    function = f"""
CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger AS $$
BEGIN
    IF current_setting('{PG_SETTING}', true) = 'off' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{table} rows cannot be deleted';
    END IF;
    IF {changed} THEN
        RAISE EXCEPTION '{table} rows cannot change';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql"""
    return [function, f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
                      f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()"]


def guard_sql(model: type[models.Model], vendor: str, *, set_once: Iterable[str] = ()) -> list[str]:
    """The statements that install the guard of `model`'s table (after `guard_drop_sql`)."""
    table = model._meta.db_table
    once = _check_set_once(model, set_once)
    if vendor == "postgresql":
        return _pg_sql(table, model, once)
    if vendor == "sqlite":
        return _sqlite_sql(table, model, once)
    raise NotImplementedError(f"row guards are written for PostgreSQL and SQLite, not {vendor}")


def guard_drop_sql(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_guard ON {table}", f"DROP FUNCTION IF EXISTS {table}_guard()"]
    return [f"DROP TRIGGER IF EXISTS {table}_guard_update", f"DROP TRIGGER IF EXISTS {table}_guard_delete"]


def guard_install(schema_editor: Any, model: type[models.Model], *, set_once: Iterable[str] = ()) -> None:
    """(Re)install the guard of `model`'s table over its current columns. Call it from migrations with the
    historical model, last in any migration that changes the table."""
    vendor = schema_editor.connection.vendor
    for statement in guard_drop_sql(model._meta.db_table, vendor) + guard_sql(model, vendor, set_once=set_once):
        schema_editor.execute(statement, params=None)  # the PL/pgSQL bodies contain % themselves


def guard_remove(schema_editor: Any, model: type[models.Model]) -> None:
    for statement in guard_drop_sql(model._meta.db_table, schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


# -- suspending the guards for one transaction ---------------------------------------------------------------

def register_sqlite_function(connection: BaseDatabaseWrapper) -> None:
    """Called for every new SQLite connection (core/apps.py). Programs other than lexbill lack the function,
    so on them every UPDATE and DELETE of a guarded table fails: the guard fails closed."""
    connection.connection.create_function(  # type: ignore[attr-defined]
        SQLITE_FUNCTION, 0, lambda: int(bool(getattr(connection, _SUSPENDED_ATTR, False))))


@contextmanager
def guards_suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let this connection update and delete guarded rows inside the current transaction (flush, data
    migrations). On PostgreSQL the suspension ends with the transaction whatever happens."""
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("guards_suspended needs a transaction on PostgreSQL (SET LOCAL)")
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {PG_SETTING} = 'off'")
        try:
            yield
        finally:
            if not connection.needs_rollback and connection.is_usable():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL {PG_SETTING} = 'on'")
        return
    previous = getattr(connection, _SUSPENDED_ATTR, False)
    setattr(connection, _SUSPENDED_ATTR, True)
    try:
        yield
    finally:
        setattr(connection, _SUSPENDED_ATTR, previous)


# -- reading the installed guards back (tests, checks) --------------------------------------------------------

@dataclass(frozen=True)
class InstalledGuard:
    refuses_update: bool
    refuses_delete: bool
    frozen_columns: frozenset[str]
    set_once_columns: frozenset[str]


_SQLITE_FROZEN = re.compile(r'NEW\."([^"]+)" IS OLD\."\1"(?! OR)')
_SQLITE_ONCE = re.compile(r'\(NEW\."([^"]+)" IS OLD\."\1" OR ')
_PG_FROZEN = re.compile(r'NEW\."([^"]+)" IS DISTINCT FROM OLD\."\1"(?! AND)')
_PG_ONCE = re.compile(r'\(NEW\."([^"]+)" IS DISTINCT FROM OLD\."\1" AND NOT ')


def guard_installed(connection: BaseDatabaseWrapper, table: str) -> InstalledGuard:
    """What the database really enforces on `table`, read from its catalogue."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgtype, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal", [table])
            rows = cursor.fetchall()
            # tgtype bits: 1 row-level, 2 before, 8 delete, 16 update
            updates = "\n".join(src for kind, src in rows if kind & 1 and kind & 2 and kind & 16)
            deletes = [src for kind, src in rows if kind & 1 and kind & 2 and kind & 8]
            return InstalledGuard(
                refuses_update="cannot change" in updates,
                refuses_delete=any("cannot be deleted" in src for src in deletes),
                frozen_columns=frozenset(_PG_FROZEN.findall(updates)),
                set_once_columns=frozenset(_PG_ONCE.findall(updates)))
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        sql = [row[0] for row in cursor.fetchall()]
    updates = "\n".join(s for s in sql if " BEFORE UPDATE ON " in s)
    return InstalledGuard(
        refuses_update="cannot change" in updates,
        refuses_delete=any(" BEFORE DELETE ON " in s and "cannot be deleted" in s for s in sql),
        frozen_columns=frozenset(_SQLITE_FROZEN.findall(updates)),
        set_once_columns=frozenset(_SQLITE_ONCE.findall(updates)))
