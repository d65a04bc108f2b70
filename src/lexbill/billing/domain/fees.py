"""Fee arrangements: what a matter's WIP becomes on a pre-bill. Pure functions on plain values.

`draft_lines(...)` takes the matter's terms, its WIP (time with the rate the caller resolved, expenses), the
fee items due by the cut-off, the unbilled recoveries, the fees already billed on the matter and the period,
and returns the draft lines. Each line's base follows `domain.lines` (total = base + adjustment).

- hourly: every entry at its resolved rate (no-charge entries at zero).
- flat: the fee items due are FIXED_FEE lines. With no phase on any fee item the flat fee covers the whole
  matter: all time is shown at zero, "included in flat fee". When fee items name phases (UTBMS task codes),
  only time coded to those phases is at zero; other time is hourly. A flat matter without fee items bills
  `fee_amount_minor` once, as one FIXED_FEE line on its first bill.
- capped: hourly until the cap, over the life of the matter; the excess is a negative ADJUSTMENT line
  "Fee cap of X reached" that takes this bill's fees down to the cap, never below zero.
- contingency: time is recorded but never billed: it gets no line and stays WIP (so nothing is lost if the
  arrangement changes, e.g. to quantum meruit on termination). A recovery entered is billed as a FIXED_FEE
  line of fee_percent_bp x recovery, rounded half-up.
- retainer: one FIXED_FEE line of fee_amount_minor per calendar month of the period not yet billed, from the
  month the matter opened to the month it closed; time at zero, "included in monthly retainer". The opening
  and the closing month follow the matter's `retainer_first_month` / `retainer_last_month` rule: full, none,
  or prorated = round_half_up(fee x days open in the month / days in the month), rounded once.
- blended: every timekeeper at fee_amount_minor per hour.
Expenses bill as entered under every arrangement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from lexbill.core.money import format_money, round_half_up

from .lines import ADJUSTMENT, EXPENSE, FEE, FIXED_FEE, fee_base_minor
from .period import Period, month_start, months_of, next_month

HOURLY = "hourly"
FLAT = "flat"
CAPPED = "capped"
CONTINGENCY = "contingency"
RETAINER = "retainer"
BLENDED = "blended"
ARRANGEMENTS = (HOURLY, FLAT, CAPPED, CONTINGENCY, RETAINER, BLENDED)
BASIS_POINTS = 10_000

# How a retainer bills the month the matter opened (and, separately, the month it closed).
MONTH_FULL = "full"
MONTH_PRORATED = "prorated"
MONTH_NONE = "none"
MONTH_RULES = (MONTH_FULL, MONTH_PRORATED, MONTH_NONE)


class TermsError(ValueError):
    """The matter's terms cannot be applied (an amount or percentage is missing)."""


@dataclass(frozen=True)
class Terms:
    arrangement: str = HOURLY
    fee_amount_minor: int | None = None
    fee_percent_bp: int | None = None
    currency: str = "USD"
    opened_on: date | None = None  # a retainer runs from the month the matter opened ...
    closed_on: date | None = None  # ... to the month it closed
    first_month: str = MONTH_FULL  # the opening month: full, prorated or none
    last_month: str = MONTH_FULL  # the closing month: full, prorated or none


@dataclass(frozen=True)
class Work:
    """A WIP time entry; rate_minor is what the caller resolved (None when the arrangement needs none)."""

    entry_id: int
    worked_on: date
    timekeeper_id: int
    hours_worked: Decimal
    hours_billed: Decimal
    rate_minor: int | None
    narrative: str
    task_code: str = ""
    activity_code: str = ""
    is_no_charge: bool = False


@dataclass(frozen=True)
class Disbursement:
    expense_id: int
    incurred_on: date
    amount_minor: int
    description: str
    quantity: Decimal = Decimal(1)
    unit_cost_minor: int | None = None
    expense_code: str = ""
    timekeeper_id: int | None = None


@dataclass(frozen=True)
class FeeItemDue:
    fee_item_id: int
    on_date: date
    amount_minor: int
    description: str
    task_code: str = ""


@dataclass(frozen=True)
class RecoveryDue:
    recovery_id: int
    received_on: date
    amount_minor: int
    description: str = ""


@dataclass(frozen=True)
class History:
    """What earlier bills already hold for the matter."""

    fees_billed_minor: int = 0  # fee, fixed-fee and adjustment totals on earlier bills (for the cap)
    fixed_fee_dates: frozenset[date] = frozenset()  # dates of earlier FIXED_FEE lines with no fee item/recovery
    phase_codes: frozenset[str] = frozenset()  # task codes of all the matter's fee items (flat per phase)
    has_fee_items: bool = False  # the matter has a fee schedule (due or not): no lump-sum flat fee then


@dataclass(frozen=True)
class DraftLine:
    kind: str
    on_date: date
    base_minor: int
    narrative: str
    adjustment_minor: int = 0
    time_entry_id: int | None = None
    expense_id: int | None = None
    fee_item_id: int | None = None
    recovery_id: int | None = None
    timekeeper_id: int | None = None
    hours_worked: Decimal | None = None
    hours_billed: Decimal | None = None
    rate_minor: int | None = None
    quantity: Decimal | None = None
    unit_cost_minor: int | None = None
    task_code: str = ""
    activity_code: str = ""
    expense_code: str = ""
    is_no_charge: bool = False

    @property
    def total_minor(self) -> int:
        return self.base_minor + self.adjustment_minor


@dataclass(frozen=True)
class Draft:
    lines: list[DraftLine] = field(default_factory=list)
    unbilled_entry_ids: list[int] = field(default_factory=list)  # WIP left open on purpose (contingency)


def percent_of(amount_minor: int, basis_points: int) -> int:
    return round_half_up(Decimal(amount_minor) * basis_points / BASIS_POINTS)


def _require_amount(terms: Terms) -> int:
    if terms.fee_amount_minor is None:
        raise TermsError(f"a {terms.arrangement} matter needs a fee amount")
    return terms.fee_amount_minor


def _time_line(work: Work, rate_minor: int, *, at_zero: str | None = None) -> DraftLine:
    if at_zero is not None:
        base = 0
        narrative = f"{work.narrative} ({at_zero})"
    else:
        base = fee_base_minor(work.hours_billed, rate_minor, is_no_charge=work.is_no_charge)
        narrative = work.narrative
    return DraftLine(
        kind=FEE, on_date=work.worked_on, base_minor=base, narrative=narrative, time_entry_id=work.entry_id,
        timekeeper_id=work.timekeeper_id, hours_worked=work.hours_worked, hours_billed=work.hours_billed,
        rate_minor=rate_minor, task_code=work.task_code, activity_code=work.activity_code,
        is_no_charge=work.is_no_charge)


def _resolved(work: Work) -> int:
    if work.rate_minor is None:
        raise TermsError(f"time entry {work.entry_id} has no rate")
    return work.rate_minor


def _expense_line(item: Disbursement) -> DraftLine:
    return DraftLine(
        kind=EXPENSE, on_date=item.incurred_on, base_minor=item.amount_minor, narrative=item.description,
        expense_id=item.expense_id, timekeeper_id=item.timekeeper_id, quantity=item.quantity,
        unit_cost_minor=item.unit_cost_minor, expense_code=item.expense_code)


def _fee_item_line(item: FeeItemDue) -> DraftLine:
    return DraftLine(kind=FIXED_FEE, on_date=item.on_date, base_minor=item.amount_minor,
                     narrative=item.description, fee_item_id=item.fee_item_id, task_code=item.task_code)


def _sorted_work(work: Iterable[Work]) -> list[Work]:
    return sorted(work, key=lambda w: (w.worked_on, w.entry_id))


def _time_lines(terms: Terms, work: Sequence[Work], history: History) -> tuple[list[DraftLine], list[int]]:
    arrangement = terms.arrangement
    if arrangement in (HOURLY, CAPPED):
        return [_time_line(w, _resolved(w)) for w in work], []
    if arrangement == BLENDED:
        blended = _require_amount(terms)
        return [_time_line(w, blended) for w in work], []
    if arrangement == CONTINGENCY:
        return [], [w.entry_id for w in work]
    if arrangement == RETAINER:
        return [_time_line(w, w.rate_minor or 0, at_zero="included in monthly retainer") for w in work], []
    if arrangement == FLAT:
        phases = history.phase_codes
        lines = []
        for w in work:
            covered = not phases or w.task_code in phases
            lines.append(_time_line(w, w.rate_minor or 0, at_zero="included in flat fee") if covered
                         else _time_line(w, _resolved(w)))
        return lines, []
    raise TermsError(f"unknown fee arrangement {arrangement!r}")


def _fixed_lines(terms: Terms, period: Period, fee_items: Sequence[FeeItemDue], recoveries: Sequence[RecoveryDue],
                 history: History) -> list[DraftLine]:
    arrangement = terms.arrangement
    lines = [_fee_item_line(item) for item in sorted(fee_items, key=lambda i: (i.on_date, i.fee_item_id))]
    if (arrangement == FLAT and not fee_items and not history.has_fee_items and not history.phase_codes
            and not history.fixed_fee_dates):
        lines.append(DraftLine(kind=FIXED_FEE, on_date=period.end, base_minor=_require_amount(terms),
                               narrative="Flat fee"))
    if arrangement == RETAINER:
        lines += _retainer_lines(terms, period, history)
    if arrangement == CONTINGENCY:
        if terms.fee_percent_bp is None:
            raise TermsError("a contingency matter needs a percentage")
        share = terms.fee_percent_bp
        for rec in sorted(recoveries, key=lambda r: (r.received_on, r.recovery_id)):
            percent = (Decimal(share) / 100).normalize()
            narrative = (f"Contingency fee: {percent:f} % of {format_money(rec.amount_minor, terms.currency)} "
                         f"recovered {rec.received_on:%Y-%m-%d}")
            lines.append(DraftLine(kind=FIXED_FEE, on_date=rec.received_on,
                                   base_minor=percent_of(rec.amount_minor, share), narrative=narrative,
                                   recovery_id=rec.recovery_id))
    return lines


def retainer_month_minor(terms: Terms, first: date) -> tuple[int, int, int] | None:
    """The retainer due for the month starting `first`: (amount, days billed, days in the month), or None when
    the month is not billed (before the opening month, after the closing month, or a `none` rule).

    A month strictly between the opening and the closing month is billed in full. The opening month follows
    `first_month` and the closing month `last_month`; `prorated` counts the days the matter was open in that
    month, both ends included: amount = round_half_up(fee x open days / days in the month), once.
    """
    amount = _require_amount(terms)
    if terms.first_month not in MONTH_RULES or terms.last_month not in MONTH_RULES:
        raise TermsError("a retainer's opening and closing month are billed in full, prorated or not at all")
    last_day = next_month(first) - timedelta(days=1)
    start, end = first, last_day
    if terms.opened_on is not None:
        opened = month_start(terms.opened_on)
        if first < opened:
            return None
        if first == opened:
            if terms.first_month == MONTH_NONE:
                return None
            if terms.first_month == MONTH_PRORATED:
                start = terms.opened_on
    if terms.closed_on is not None:
        closed = month_start(terms.closed_on)
        if first > closed:
            return None
        if first == closed:
            if terms.last_month == MONTH_NONE:
                return None
            if terms.last_month == MONTH_PRORATED:
                end = terms.closed_on
    days, month_days = (end - start).days + 1, last_day.day
    if days == month_days:
        return amount, days, month_days
    return round_half_up(Decimal(amount) * days / month_days), days, month_days


def _retainer_lines(terms: Terms, period: Period, history: History) -> list[DraftLine]:
    billed = {month_start(d) for d in history.fixed_fee_dates}
    lines = []
    for first in months_of(period):
        if first in billed or (terms.opened_on is not None and terms.opened_on > period.end):
            continue
        due = retainer_month_minor(terms, first)
        if due is None:
            continue
        amount, days, month_days = due
        narrative = f"Monthly retainer, {first:%B %Y}"
        if days != month_days:
            narrative += f" ({days} of {month_days} days)"
        lines.append(DraftLine(kind=FIXED_FEE, on_date=first, base_minor=amount, narrative=narrative))
    return lines


def _cap_line(terms: Terms, period: Period, fee_lines: Sequence[DraftLine], history: History) -> DraftLine | None:
    cap = _require_amount(terms)
    fees_now = sum(line.total_minor for line in fee_lines)
    room = max(0, cap - history.fees_billed_minor)
    excess = max(0, fees_now - room)  # room >= 0, so the fees never go below zero
    if excess <= 0:
        return None
    return DraftLine(kind=ADJUSTMENT, on_date=period.end, base_minor=-excess,
                     narrative=f"Fee cap of {format_money(cap, terms.currency)} reached")


def draft_lines(
    *,
    terms: Terms,
    period: Period,
    work: Iterable[Work] = (),
    expenses: Iterable[Disbursement] = (),
    fee_items: Sequence[FeeItemDue] = (),
    recoveries: Sequence[RecoveryDue] = (),
    history: History = History(),
) -> Draft:
    """The draft lines of one matter's bill: fixed fees, time, the cap adjustment, expenses."""
    time_lines, left_open = _time_lines(terms, _sorted_work(work), history)
    fee_lines = _fixed_lines(terms, period, fee_items, recoveries, history) + time_lines
    lines = list(fee_lines)
    if terms.arrangement == CAPPED:
        cap = _cap_line(terms, period, fee_lines, history)
        if cap is not None:
            lines.append(cap)
    lines += [_expense_line(e) for e in sorted(expenses, key=lambda e: (e.incurred_on, e.expense_id))]
    return Draft(lines=lines, unbilled_entry_ids=left_open)
