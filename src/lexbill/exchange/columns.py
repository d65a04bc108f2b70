"""The documented columns of every exchange kind: the same for import and export.

`docs/csv-formats.md` describes them for people; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lexbill.core.errors import ValidationFailed


class Type(Enum):
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    HOURS = "hours"  # decimal hours, up to 3 decimals
    MONEY = "money"  # major units, e.g. 350.00
    DECIMAL = "decimal"
    INT = "int"
    BOOL = "bool"  # yes / no


@dataclass(frozen=True)
class Column:
    name: str
    type: Type = Type.TEXT
    required: bool = False


def _cols(*specs: Column) -> tuple[Column, ...]:
    return specs


D, H, M, DEC, INT, B = Type.DATE, Type.HOURS, Type.MONEY, Type.DECIMAL, Type.INT, Type.BOOL

KINDS: dict[str, tuple[Column, ...]] = {
    "timekeepers": _cols(
        Column("initials", required=True), Column("first_name", required=True), Column("last_name", required=True),
        Column("title"), Column("classification", required=True), Column("standard_rate", M, required=True),
        Column("active", B),
    ),
    "clients": _cols(
        Column("code", required=True), Column("name", required=True), Column("address_line1"),
        Column("address_line2"), Column("city"), Column("region"), Column("postcode"), Column("country"),
        Column("currency"), Column("payment_terms_days", INT), Column("ledes_client_id"),
        Column("billing_increment", H), Column("consolidated_billing", B), Column("active", B), Column("notes"),
    ),
    "matters": _cols(
        Column("number", required=True), Column("client", required=True), Column("name", required=True),
        Column("client_matter_id"), Column("description"), Column("billing_attorney", required=True),
        Column("responsible_attorney"), Column("originating_attorney"), Column("status"),
        Column("opened_on", D, required=True), Column("closed_on", D), Column("currency"),
        Column("fee_arrangement"), Column("fee_amount", M), Column("fee_percent", DEC),
        Column("billing_increment", H), Column("budget", M), Column("retainer_first_month"),
        Column("retainer_last_month"),
    ),
    "rates": _cols(
        Column("timekeeper"), Column("classification"), Column("client"), Column("matter"),
        Column("effective_on", D, required=True), Column("rate", M, required=True), Column("currency"),
        Column("note"),
    ),
    "time": _cols(
        Column("ref"), Column("date", D, required=True), Column("timekeeper", required=True),
        Column("matter", required=True), Column("hours", H, required=True), Column("hours_billable", H),
        Column("narrative", required=True), Column("task_code"), Column("activity_code"), Column("charge_type"),
    ),
    "expenses": _cols(
        Column("ref"), Column("date", D, required=True), Column("matter", required=True), Column("timekeeper"),
        Column("expense_code"), Column("description", required=True), Column("quantity", DEC),
        Column("unit_cost", M, required=True), Column("amount", M), Column("currency"), Column("cost_type"),
        Column("charge_type"),
    ),
}

KIND_NAMES = tuple(KINDS)


def column_names(kind: str) -> list[str]:
    return [c.name for c in KINDS[kind]]


def match_headers(kind: str, headers: list[str]) -> dict[str, int]:
    """Map each documented column present to its position; one error naming every header problem."""
    spec = {c.name: c for c in KINDS[kind]}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, raw in enumerate(headers):
        name = (raw or "").strip().lower()
        if not name:
            continue
        if name not in spec:
            unknown.append(raw.strip())
        elif name in positions:
            repeated.append(name)
        else:
            positions[name] = index
    missing = [c.name for c in KINDS[kind] if c.required and c.name not in positions]
    problems = []
    if unknown:
        problems.append("unknown column" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown))
    if repeated:
        problems.append("repeated column" + ("s" if len(repeated) > 1 else "") + ": " + ", ".join(repeated))
    if missing:
        problems.append("missing required column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing))
    if problems:
        raise ValidationFailed(
            f"{kind} file: {'; '.join(problems)} (expected columns: {', '.join(spec)})", field="header"
        )
    return positions
