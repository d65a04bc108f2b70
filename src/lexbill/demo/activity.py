"""Time entries and expenses of the demo firm, streamed one working day at a time.

Rows come out ready for the bulk writer, with exactly the values the services would store: hours go
through `core.hours.minutes_to_hours` (rounded up to the matter's 0.1 h increment) and are kept as
thousandths as `HoursField` stores them; an expense's amount is `timekeeping.domain.expense_amount_minor`.
Nothing is dated after `as_of`, before a matter opened or after it closed, or on a weekend or holiday.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from lexbill.core.hours import DEFAULT_INCREMENT_MILLI, hours_to_milli, milli_to_hours, minutes_to_hours
from lexbill.timekeeping.domain import expense_amount_minor

from .narratives import EXPENSES, ROUTINE_EXPENSES, WORK, ExpenseKind, Work
from .plan import FirmPlan, rng_for
from .workdays import working_days

TIME_COLUMNS = ("firm", "matter", "timekeeper", "worked_on", "hours_worked", "hours_billable", "narrative",
                "task_code", "activity_code", "charge_type", "status", "created_by", "created_at", "updated_at")
EXPENSE_COLUMNS = ("firm", "matter", "timekeeper", "incurred_on", "expense_code", "description", "quantity",
                   "unit_cost_minor", "amount_minor", "cost_type", "charge_type", "status", "created_by",
                   "created_at", "updated_at")
MAX_MILLI_A_DAY = 11_000  # a long day; nobody in the demo records more
OUT_OF_OFFICE_PERCENT = 5


@dataclass(frozen=True)
class Keys:
    """Database keys of what the plan's indexes point to, and per-backend values for constant columns."""

    firm: int
    timekeepers: list[int]
    matters: list[int]
    users: list[int | None]  # per timekeeper: the linked user, recorded as the entry's creator
    now: Any  # created_at / updated_at, already adapted for the backend
    adapt_date: Callable[[date], Any]


@cache
def billed_milli(minutes: int, increment_milli: int = DEFAULT_INCREMENT_MILLI) -> int:
    """What time_entry_create stores for `minutes` of work: rounded up to the increment, in thousandths."""
    return hours_to_milli(minutes_to_hours(minutes, increment_milli))


def _tables() -> dict[tuple[str, int], tuple[list[Work], list[int], int]]:
    tables = {}
    for group in "PAL":
        for phase in range(5):
            works = [w for w in WORK if group in w.who and (w.phases == "*" or str(phase) in w.phases)]
            cumulative, total = [], 0
            for work in works:
                total += work.weight
                cumulative.append(total)
            tables[(group, phase)] = (works, cumulative, total)
    return tables


def _short(first: str, last: str) -> str:
    return f"{first[0]}. {last}"


class Activity:
    """Draws the work of every timekeeper, day by day, from one random stream (so a seed replays it)."""

    def __init__(self, plan: FirmPlan, keys: Keys):
        self.plan = plan
        self.keys = keys
        self.rng: random.Random = rng_for(plan.seed, plan.as_of, "activity")
        self.tables = _tables()
        tks = plan.timekeepers
        self.names = [_short(t.person.first_name, t.person.last_name) for t in tks]
        self.portfolios: list[list[tuple[int, int]]] = [[] for _ in tks]
        for m_index, matter in enumerate(plan.matters):
            for tk_index, weight in matter.team:
                self.portfolios[tk_index].append((m_index, weight))
        self.first = [max(m.opened_on, plan.start).toordinal() for m in plan.matters]
        self.last = [(m.closed_on or plan.as_of).toordinal() for m in plan.matters]
        self.opened = [m.opened_on.toordinal() for m in plan.matters]
        # Per timekeeper: the matters open for work, valid until the ordinal day where one opens or closes.
        self.active: list[tuple[int, list[int], list[int]]] = [(0, [], []) for _ in tks]
        self.associates = [
            next((self.names[t] for t, _ in m.team if tks[t].classification == "AS"), self.names[m.responsible])
            for m in plan.matters
        ]

    def days(self) -> list[date]:
        return list(working_days(self.plan.start, self.plan.as_of))

    def phase(self, m_index: int, day: int) -> int:
        matter = self.plan.matters[m_index]
        tenths = (day - self.opened[m_index]) * 10 // matter.lifetime_days
        if tenths < 2:
            return 0
        if tenths < 6:
            return 1
        if tenths < 8:
            return 2
        # Most cases settle after motions and expert work; only some are tried, and fewer appealed.
        if matter.story.is_appeal and tenths >= 10:
            return 4
        return 3 if matter.story.goes_to_trial else 2

    def day(self, day: date) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The time entries and expenses recorded on one working day, for every timekeeper."""
        rng, keys, plan = self.rng, self.keys, self.plan
        ordinal = day.toordinal()
        on = keys.adapt_date(day)
        entries: list[tuple[Any, ...]] = []
        expenses: list[tuple[Any, ...]] = []
        for tk_index, tk in enumerate(plan.timekeepers):
            if rng.randrange(100) < OUT_OF_OFFICE_PERCENT:
                continue
            valid_until, matters, weights = self.active[tk_index]
            if ordinal >= valid_until:
                valid_until, matters, weights = self.active[tk_index] = self._active(tk_index, ordinal)
            if not matters:
                continue
            count = rng.choice(plan.size.entries_a_day)
            picks = rng.choices(matters, weights=weights, k=count)
            total = 0
            for m_index in picks:
                works, cumulative, weight_total = self.tables[(tk.group, self.phase(m_index, ordinal))]
                work = works[bisect_right(cumulative, rng.randrange(weight_total))]
                milli = billed_milli(rng.randint(*work.minutes))
                if total + milli > MAX_MILLI_A_DAY:
                    break
                total += milli
                entries.append(self._entry(tk_index, m_index, work, milli, on))
                if work.expense and rng.randrange(100) < 30:
                    expenses.append(self._expense(EXPENSES[work.expense], m_index, tk_index, on))
                elif rng.randrange(1000) < 15:
                    kind = EXPENSES[rng.choice(ROUTINE_EXPENSES)]
                    expenses.append(self._expense(kind, m_index, tk_index if rng.randrange(2) else None, on))
        return entries, expenses

    def _active(self, tk_index: int, ordinal: int) -> tuple[int, list[int], list[int]]:
        matters, weights, changes = [], [], [date.max.toordinal()]
        for m, w in self.portfolios[tk_index]:
            if self.first[m] > ordinal:
                changes.append(self.first[m])
            elif ordinal <= self.last[m]:
                matters.append(m)
                weights.append(w)
                changes.append(self.last[m] + 1)
        return min(changes), matters, weights

    def _entry(self, tk_index: int, m_index: int, work: Work, milli: int, on: Any) -> tuple[Any, ...]:
        rng, keys = self.rng, self.keys
        matter = self.plan.matters[m_index]
        lead = self.names[matter.responsible]
        if matter.responsible == tk_index:
            lead = self.associates[m_index]
        narrative = matter.story.fill(rng, work.text, lead=lead, associate=self.associates[m_index])
        roll = rng.randrange(1000)
        if roll < 20:
            charge = "no_charge"
        elif roll < 35 or (work.activity == "A105" and roll < 150):
            charge = "non_billable"
        else:
            charge = "billable"
        return (keys.firm, keys.matters[m_index], keys.timekeepers[tk_index], on, milli, milli, narrative,
                work.task, work.activity, charge, "open", keys.users[tk_index], keys.now, keys.now)

    def _expense(self, kind: ExpenseKind, m_index: int, tk_index: int | None, on: Any) -> tuple[Any, ...]:
        rng, keys = self.rng, self.keys
        low, high, step = kind.quantity_milli
        quantity = rng.randrange(low, high + 1, step)
        low, high, step = kind.unit_cost_minor
        unit_cost = rng.randrange(low, high + 1, step)
        amount = expense_amount_minor(milli_to_hours(quantity), unit_cost)
        qty = f"{milli_to_hours(quantity):,}"
        description = self.plan.matters[m_index].story.fill(rng, kind.text, qty=qty)
        charge = "no_charge" if rng.randrange(100) < 3 else "billable"
        tk_key = keys.timekeepers[tk_index] if tk_index is not None else None
        user = keys.users[tk_index] if tk_index is not None else None
        return (keys.firm, keys.matters[m_index], tk_key, on, kind.code, description, quantity, unit_cost, amount,
                kind.cost_type, charge, "open", user, keys.now, keys.now)

    def stream(self) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        for day in self.days():
            yield self.day(day)
