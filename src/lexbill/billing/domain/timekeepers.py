"""The timekeeper summary of a bill, shared by the PDF and the invoice page.

One row per timekeeper and rate with the charged hours only, so each row reads hours x rate = amount (the
amount is the sum of those lines' bases; write-downs and write-ups are shown apart, as adjustments). A
timekeeper's no-charge hours get a row of their own, with no rate and nothing charged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .lines import FEE


class TimeLine(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def timekeeper_name(self) -> str: ...
    @property
    def timekeeper_classification(self) -> str: ...
    @property
    def hours_billed(self) -> Decimal | None: ...
    @property
    def rate_minor(self) -> int | None: ...
    @property
    def base_minor(self) -> int: ...
    @property
    def is_no_charge(self) -> bool: ...


@dataclass(frozen=True)
class TimekeeperRow:
    name: str
    classification: str
    hours: Decimal
    rate_minor: int | None  # None on a no-charge row
    amount_minor: int
    is_no_charge: bool = False


def timekeeper_summary(lines: Iterable[TimeLine]) -> list[TimekeeperRow]:
    """Charged hours and amount per timekeeper and rate (a rate change mid-period gives two rows), then the
    timekeeper's no-charge hours on a row of their own."""
    classification: dict[str, str] = {}
    hours: dict[tuple[str, int | None], Decimal] = {}
    amount: dict[tuple[str, int | None], int] = {}
    for line in lines:
        if line.kind != FEE or line.rate_minor is None:
            continue
        classification.setdefault(line.timekeeper_name, line.timekeeper_classification)
        key = (line.timekeeper_name, None if line.is_no_charge else line.rate_minor)
        hours[key] = hours.get(key, Decimal(0)) + (line.hours_billed or Decimal(0))
        amount[key] = amount.get(key, 0) + (0 if line.is_no_charge else line.base_minor)
    rows = [TimekeeperRow(name, classification[name], hours[(name, rate)], rate, amount[(name, rate)],
                          is_no_charge=rate is None)
            for name, rate in hours if rate is not None or hours[(name, rate)]]
    return sorted(rows, key=lambda row: (row.name, row.is_no_charge, row.rate_minor or 0))


def charged_and_free_hours(lines: Iterable[TimeLine]) -> tuple[Decimal, Decimal]:
    """The bill's charged time hours and its no-charge time hours."""
    charged = free = Decimal(0)
    for line in lines:
        if line.kind == FEE:
            if line.is_no_charge:
                free += line.hours_billed or Decimal(0)
            else:
                charged += line.hours_billed or Decimal(0)
    return charged, free
