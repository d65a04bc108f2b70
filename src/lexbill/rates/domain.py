"""Rate resolution as a pure function: no ORM, no clock.

Precedence, highest first:
  1 matter + timekeeper      2 client + timekeeper
  3 matter + classification  4 client + classification
  5 timekeeper standard rate, effective-dated (a Rate row with only a timekeeper)
  6 the timekeeper's standard rate field (the fallback, in the firm's currency)
Within a level the row with the latest effective date on or before the date worked wins; rows of the
same date: the one entered last (highest id). Rates in another currency than the matter's never apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from lexbill.core.errors import RateNotFound


class RateLevel(IntEnum):
    MATTER_TIMEKEEPER = 1
    CLIENT_TIMEKEEPER = 2
    MATTER_CLASSIFICATION = 3
    CLIENT_CLASSIFICATION = 4
    TIMEKEEPER_DATED = 5
    TIMEKEEPER_STANDARD = 6


LEVEL_LABELS = {
    RateLevel.MATTER_TIMEKEEPER: "matter rate for the timekeeper",
    RateLevel.CLIENT_TIMEKEEPER: "client rate for the timekeeper",
    RateLevel.MATTER_CLASSIFICATION: "matter rate for the classification",
    RateLevel.CLIENT_CLASSIFICATION: "client rate for the classification",
    RateLevel.TIMEKEEPER_DATED: "timekeeper's dated standard rate",
    RateLevel.TIMEKEEPER_STANDARD: "timekeeper's standard rate",
}


@dataclass(frozen=True)
class RateCandidate:
    level: RateLevel
    effective_on: date
    rate_minor: int
    currency: str
    rate_id: int


@dataclass(frozen=True)
class ResolvedRate:
    rate_minor: int
    currency: str
    level: RateLevel
    rate_id: int | None

    @property
    def source(self) -> str:
        return LEVEL_LABELS[self.level]


def classify(
    *,
    has_timekeeper: bool,
    has_matter: bool,
    has_client: bool,
) -> RateLevel:
    """The precedence level of a rate row by which of its keys are set."""
    if has_timekeeper:
        if has_matter:
            return RateLevel.MATTER_TIMEKEEPER
        if has_client:
            return RateLevel.CLIENT_TIMEKEEPER
        return RateLevel.TIMEKEEPER_DATED
    if has_matter:
        return RateLevel.MATTER_CLASSIFICATION
    if has_client:
        return RateLevel.CLIENT_CLASSIFICATION
    raise ValueError("a classification rate needs a client or a matter")


def resolve_rate(
    candidates: Iterable[RateCandidate],
    *,
    worked_on: date,
    currency: str,
    standard_rate_minor: int | None,
    standard_currency: str,
) -> ResolvedRate:
    """Pick the rate in force on `worked_on` for a matter billed in `currency`."""
    applicable = [c for c in candidates if c.effective_on <= worked_on and c.currency == currency]
    if applicable:
        best = min(applicable, key=lambda c: (c.level, -c.effective_on.toordinal(), -c.rate_id))
        return ResolvedRate(best.rate_minor, best.currency, best.level, best.rate_id)
    if standard_rate_minor is not None and standard_currency == currency:
        return ResolvedRate(standard_rate_minor, currency, RateLevel.TIMEKEEPER_STANDARD, None)
    raise RateNotFound(f"no {currency} rate in force on {worked_on.isoformat()}")
