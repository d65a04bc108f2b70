"""Percentages stored as integer basis points (6000 = 60 %), shown exactly with two decimals (no float)."""

from __future__ import annotations


def percent_text(bp: int) -> str:
    """6000 -> "60.00", 3333 -> "33.33", 5 -> "0.05"."""
    whole, rest = divmod(int(bp), 100)
    return f"{whole}.{rest:02d}"
