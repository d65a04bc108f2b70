"""Timekeepers, clients and matters: few rows, so each goes through its service (same rules, one
audit event per change)."""

from __future__ import annotations

from typing import Any

from lexbill.clients.models import Client, FeeArrangement, Matter, MatterStatus, RetainerMonth
from lexbill.clients.services import client_create, client_update, matter_create, matter_update
from lexbill.core.hours import hours_to_milli
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.ebilling.settings import client_settings_update, split_client_settings
from lexbill.staff.models import Classification, Timekeeper
from lexbill.staff.services import timekeeper_create, timekeeper_update

from ..readers import Table
from ..rows import MISSING, Row
from .base import DuplicateKeys, ImportContext, ImportResult, RowHandler, changed_fields, put, run_per_row


def _upsert(instance: Any, values: dict[str, Any], create: Any, update: Any) -> str:
    if instance is None:
        create(**values)
        return "created"
    changes = changed_fields(instance, values)
    if not changes:
        return "unchanged"
    update(instance, **changes)
    return "updated"


def _increment_milli(row: Row, column: str) -> Any:
    hours = row.hours(column)
    if hours is MISSING or hours is None:
        return hours
    if hours <= 0:
        row.problem(column, "must be more than zero")
        return None
    return hours_to_milli(hours)


# --- timekeepers ----------------------------------------------------------------------------------------


def import_timekeepers(table: Table, ctx: ImportContext) -> ImportResult:
    def make_handler() -> RowHandler:
        existing = {t.initials: t for t in Timekeeper.objects.all()}
        dupes = DuplicateKeys("initials")

        def handle(row: Row) -> str | None:
            initials = row.text("initials", required=True, max_length=10).upper()
            dupes.check(row, initials)
            values: dict[str, Any] = {"initials": initials}
            for name in ("first_name", "last_name"):
                put(values, name, row.text(name, required=True))
            put(values, "title", row.text("title"))
            put(values, "classification", row.choice("classification", Classification.choices, required=True))
            put(values, "standard_rate_minor", row.money("standard_rate", ctx.firm.currency, required=True))
            put(values, "is_active", row.boolean("active"))
            if not row.ok:
                return None
            return _upsert(
                existing.get(initials), values,
                lambda **v: timekeeper_create(firm=ctx.firm, actor=ctx.actor, **v),
                lambda tk, **v: timekeeper_update(timekeeper=tk, actor=ctx.actor, **v),
            )

        return handle

    return run_per_row(kind="timekeepers", table=table, ctx=ctx, make_handler=make_handler,
                       field_columns={"standard_rate_minor": "standard_rate", "is_active": "active"})


# --- clients -------------------------------------------------------------------------------------------

_CLIENT_TEXT = ("address_line1", "address_line2", "city", "region", "postcode", "ledes_client_id", "notes")


def _upsert_client(client: Client | None, values: dict[str, Any], ctx: ImportContext) -> str:
    """The client's own fields through the clients service, its LEDES client id through e-billing's."""
    settings = split_client_settings(values)
    status = "created" if client is None else "unchanged"
    if client is None:
        client = client_create(firm=ctx.firm, actor=ctx.actor, **values)
    elif changes := changed_fields(client, values):
        client_update(client=client, actor=ctx.actor, **changes)
        status = "updated"
    current = client_ebilling_settings(client)
    settings = {key: value for key, value in settings.items() if getattr(current, key) != value}
    if settings:
        client_settings_update(client=client, actor=ctx.actor, **settings)
        status = "updated" if status == "unchanged" else status
    return status


def import_clients(table: Table, ctx: ImportContext) -> ImportResult:
    def make_handler() -> RowHandler:
        existing = {c.code: c for c in Client.objects.all()}
        dupes = DuplicateKeys("code")

        def handle(row: Row) -> str | None:
            code = row.text("code", required=True, max_length=30)
            dupes.check(row, code)
            values: dict[str, Any] = {"code": code}
            put(values, "name", row.text("name", required=True))
            for name in _CLIENT_TEXT:
                put(values, name, row.text(name))
            for name in ("country", "currency"):
                value = row.text(name)
                put(values, name, value.upper() if value else None)
            put(values, "payment_terms_days", row.integer("payment_terms_days"))
            put(values, "billing_increment_milli", _increment_milli(row, "billing_increment"), nullable=True)
            put(values, "is_consolidated_billing", row.boolean("consolidated_billing"))
            put(values, "is_active", row.boolean("active"))
            if not row.ok:
                return None
            return _upsert_client(existing.get(code), values, ctx)

        return handle

    return run_per_row(kind="clients", table=table, ctx=ctx, make_handler=make_handler,
                       field_columns={"billing_increment_milli": "billing_increment", "is_active": "active",
                                      "is_consolidated_billing": "consolidated_billing"})


# --- matters -------------------------------------------------------------------------------------------

_ATTORNEYS = ("billing_attorney", "responsible_attorney", "originating_attorney")


def _percent_bp(row: Row) -> Any:
    percent = row.decimal("fee_percent")
    if percent is MISSING or percent is None:
        return percent
    bp = percent * 100
    if bp != bp.to_integral_value() or bp < 0:
        row.problem("fee_percent", f"not a percentage with at most 2 decimals ({row.raw('fee_percent')!r})")
        return None
    return int(bp)


def import_matters(table: Table, ctx: ImportContext) -> ImportResult:
    def make_handler() -> RowHandler:
        existing = {m.number: m for m in Matter.objects.select_related("client", "firm", *_ATTORNEYS)}
        clients = {c.code: c for c in Client.objects.all()}
        timekeepers = {t.initials: t for t in Timekeeper.objects.all()}
        dupes = DuplicateKeys("number")

        def lookup(row: Row, column: str, table: dict[str, Any], what: str, required: bool = False) -> Any:
            key = row.text(column, required=required)
            if not key:
                return key
            key = key.upper() if table is timekeepers else key
            found = table.get(key)
            if found is None:
                row.problem(column, f"no {what} {key!r}")
            return found

        def handle(row: Row) -> str | None:
            number = row.text("number", required=True, max_length=40)
            dupes.check(row, number)
            matter = existing.get(number)
            values: dict[str, Any] = {"number": number}
            client = lookup(row, "client", clients, "client with code", required=True)
            put(values, "client", client)
            for column in _ATTORNEYS:
                person = lookup(row, column, timekeepers, "timekeeper with initials", column == "billing_attorney")
                put(values, column, None if person == "" else person, nullable=column != "billing_attorney")
            for name in ("name", "client_matter_id", "description"):
                put(values, name, row.text(name, required=name == "name"))
            put(values, "status", row.choice("status", MatterStatus.choices))
            put(values, "opened_on", row.date("opened_on", required=True))
            put(values, "closed_on", row.date("closed_on"), nullable=True)
            currency = row.currency()
            put(values, "currency", currency)
            money_currency = currency or (matter.currency if matter else None) or (
                client.currency if client else ctx.firm.currency)
            put(values, "fee_arrangement", row.choice("fee_arrangement", FeeArrangement.choices))
            put(values, "fee_amount_minor", row.money("fee_amount", money_currency), nullable=True)
            put(values, "fee_percent_bp", _percent_bp(row), nullable=True)
            put(values, "billing_increment_milli", _increment_milli(row, "billing_increment"), nullable=True)
            put(values, "budget_minor", row.money("budget", money_currency), nullable=True)
            for name in ("retainer_first_month", "retainer_last_month"):
                put(values, name, row.choice(name, RetainerMonth.choices))
            if not row.ok:
                return None
            return _upsert(
                matter, values,
                lambda **v: matter_create(firm=ctx.firm, actor=ctx.actor, **v),
                lambda m, **v: matter_update(matter=m, actor=ctx.actor, **v),
            )

        return handle

    return run_per_row(kind="matters", table=table, ctx=ctx, make_handler=make_handler,
                       field_columns={"fee_amount_minor": "fee_amount", "fee_percent_bp": "fee_percent",
                                      "budget_minor": "budget", "billing_increment_milli": "billing_increment"})


__all__ = ["import_clients", "import_matters", "import_timekeepers"]
