"""Rates, upserted by (timekeeper initials or classification, client code, matter number, effective date).

There is no rate update service (rates are effective-dated rows), so a changed rate of an existing key
is written here with the same validation and an audit event, inside the import's transaction.
"""

from __future__ import annotations

from typing import Any

from lexbill.clients.models import Client, Matter
from lexbill.core.audit import audit_record
from lexbill.core.validation import validate_instance
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create
from lexbill.staff.models import Classification, Timekeeper

from ..readers import Table
from ..rows import Row
from .base import DuplicateKeys, ImportContext, ImportResult, RowHandler, changed_fields, run_per_row


def rate_key(rate: Rate) -> tuple[str, str, str, str, Any]:
    return (
        rate.timekeeper.initials if rate.timekeeper else "",
        rate.classification,
        rate.client.code if rate.client else "",
        rate.matter.number if rate.matter else "",
        rate.effective_on,
    )


def import_rates(table: Table, ctx: ImportContext) -> ImportResult:
    def make_handler() -> RowHandler:
        existing: dict[Any, Rate] = {}
        # Same-key rows: the one entered last is the one in force (rates/domain.py), so it is the one updated.
        for rate in Rate.objects.select_related("timekeeper", "client", "matter").order_by("id"):
            existing[rate_key(rate)] = rate
        timekeepers = {t.initials: t for t in Timekeeper.objects.all()}
        clients = {c.code: c for c in Client.objects.all()}
        matters = {m.number: m for m in Matter.objects.select_related("client")}
        dupes = DuplicateKeys("effective_on")

        def handle(row: Row) -> str | None:
            initials = (row.text("timekeeper") or "").upper()
            classification = row.choice("classification", Classification.choices) or ""
            client_code = row.text("client") or ""
            matter_number = row.text("matter") or ""
            effective_on = row.date("effective_on", required=True)
            timekeeper = timekeepers.get(initials) if initials else None
            client = clients.get(client_code) if client_code else None
            matter = matters.get(matter_number) if matter_number else None
            if initials and timekeeper is None:
                row.problem("timekeeper", f"no timekeeper with initials {initials!r}")
            if client_code and client is None:
                row.problem("client", f"no client with code {client_code!r}")
            if matter_number and matter is None:
                row.problem("matter", f"no matter with number {matter_number!r}")
            # The model's check constraints, said in words.
            if bool(initials) == bool(classification):
                row.problem("timekeeper", "give a timekeeper or a classification (exactly one)")
            if client_code and matter_number:
                row.problem("matter", "a rate is for a client or for a matter, not both")
            if classification and not (client_code or matter_number):
                row.problem("classification", "a classification rate needs a client or a matter")
            owner: Any = matter or client or ctx.firm
            currency = row.currency() or owner.currency
            rate_minor = row.money("rate", currency, required=True)
            if rate_minor is not None and rate_minor < 0:
                row.problem("rate", "cannot be negative")
            note = row.text("note", max_length=200)
            dupes.check(row, (initials, classification, client_code, matter_number, effective_on))
            if not row.ok:
                return None
            values: dict[str, Any] = {"rate_minor": rate_minor, "currency": currency}
            if note is not None and row.has("note"):
                values["note"] = note
            rate = existing.get((initials, classification, client_code, matter_number, effective_on))
            if rate is None:
                rate_create(firm=ctx.firm, actor=ctx.actor, timekeeper=timekeeper, classification=classification,
                            client=client, matter=matter, effective_on=effective_on, **values)
                return "created"
            changes = changed_fields(rate, values)
            if not changes:
                return "unchanged"
            before = {k: getattr(rate, k) for k in changes}
            for key, value in changes.items():
                setattr(rate, key, value)
            validate_instance(rate)
            rate.save()
            audit_record(firm=ctx.firm, actor=ctx.actor, action="rate.update", instance=rate, before=before,
                         after=changes)
            return "updated"

        return handle

    return run_per_row(kind="rates", table=table, ctx=ctx, make_handler=make_handler,
                       field_columns={"rate_minor": "rate"})
