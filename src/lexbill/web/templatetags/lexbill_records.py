"""Template filters that show stored integers the way people read them (exact, no float)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lexbill.core.hours import display_hours, milli_to_hours
from lexbill.core.money import from_minor
from lexbill.core.percent import percent_text

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """35000|money:"USD" -> "350.00" (thousands separated)."""
    if minor is None or minor == "":
        return ""
    return f"{from_minor(int(minor), currency):,}"


@register.filter
def hours(value: Decimal | None) -> str:
    return "" if value is None else display_hours(Decimal(value))


@register.filter
def milli_hours(milli: int | None) -> str:
    """A billing increment in thousandths (100) -> "0.1"."""
    return "" if milli is None else display_hours(milli_to_hours(int(milli)))


@register.filter
def percent_bp(bp: int | None) -> str:
    """Basis points (3333) -> "33.33"."""
    return "" if bp is None else percent_text(int(bp))
