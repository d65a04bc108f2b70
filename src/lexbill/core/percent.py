"""Percentages stored as integer basis points (6000 = 60 %), shown exactly with two decimals (no float)."""

from __future__ import annotations


def percent_text(bp: int) -> str:
    """6000 -> "60.00", 3333 -> "33.33", 5 -> "0.05"."""
    whole, rest = divmod(int(bp), 100)
    return f"{whole}.{rest:02d}"


def percent_words(value: object) -> str:
    """A percent as typed, for sentences: Decimal("10") / "10.00" -> "10", "12.50" -> "12.5", "-5" -> "-5"."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text
