"""A pre-bill's edit history in people's words: one sentence per audit event, from its action and before/after.

Pure (no ORM): the review page, the API and the tests pass the event's action, before and after dicts and the
bill's currency. Money is shown through `core.money`, percents through `core.percent`; field names such as
`adjustment_minor` never reach the sentence. An action this module does not know is named in words, never
as a code, so a new service action shows something readable until it gets its own sentence.

Lines are named by their id ("line 7"), as the queries list and the approval refusals name them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from lexbill.core.hours import display_hours
from lexbill.core.money import from_minor
from lexbill.core.percent import percent_words

QUOTED = 80  # characters of a narrative, question, answer or reason quoted in a sentence
MINUS = "\u2212"  # a real minus sign (U+2212): "(-173.60)" set with it reads as money taken off, not a dash

Event = Mapping[str, Any]
Describe = Callable[[Event, Event, str], str]


def money(minor: Any, currency: str) -> str:
    """12345 -> "123.45", -1234567 -> "12,345.67" after a MINUS sign."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        return "?"
    text = f"{from_minor(abs(minor), currency):,}"
    return f"{MINUS}{text}" if minor < 0 else text


def signed(minor: Any, currency: str) -> str:
    """An adjustment with its sign: MINUS "173.60", "+25.00", "0.00"."""
    shown = money(minor, currency)
    return f"+{shown}" if isinstance(minor, int) and minor > 0 else shown


def quoted(text: Any) -> str:
    words = " ".join(str(text or "").split())
    return f"“{words if len(words) <= QUOTED else words[:QUOTED - 1] + '…'}”"


def _hours(value: Any) -> str:
    try:
        return f"{display_hours(Decimal(str(value)))} h"
    except (InvalidOperation, ValueError):
        return "? h"


def _line(data: Event) -> str:
    return f"line {data.get('line', '?')}"


def _percent(data: Event) -> Decimal:
    try:
        return Decimal(str(data.get("percent", "0")))
    except InvalidOperation:
        return Decimal(0)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --- one line -------------------------------------------------------------------------------------------------

def _narrative(before: Event, after: Event, currency: str) -> str:
    return f"Changed the narrative of {_line(after)} to {quoted(after.get('narrative'))}"


CODE_WORDS = {"task_code": "task", "activity_code": "activity", "expense_code": "expense"}


def _codes(before: Event, after: Event, currency: str) -> str:
    changes = [f"{word} {after[field] or '(none)'}" + (f" instead of {before[field]}" if before.get(field) else "")
               for field, word in CODE_WORDS.items() if field in after]
    return f"Coded {_line(after)}: {', '.join(changes)}"


def _write_hours(before: Event, after: Event, currency: str) -> str:
    return (f"Billed {_line(after)} at {_hours(after.get('hours_billed'))} instead of "
            f"{_hours(before.get('hours_billed'))} ({money(before.get('base_minor'), currency)} → "
            f"{money(after.get('base_minor'), currency)})")


def _was(before: Event, after: Event, currency: str) -> str:
    old = before.get("adjustment_minor")
    if isinstance(old, int) and old != 0 and old != after.get("adjustment_minor"):
        return f", replacing {signed(old, currency)}"
    return ""


def _write_amount(before: Event, after: Event, currency: str) -> str:
    amount = after.get("adjustment_minor")
    if not isinstance(amount, int) or amount == 0:
        return f"Removed the write-down or write-up of {_line(after)}{_was(before, after, currency)}"
    direction = "down" if amount < 0 else "up"
    return (f"Wrote {_line(after)} {direction} {money(abs(amount), currency)} (total "
            f"{money(after.get('total_minor'), currency)}{_was(before, after, currency)})")


def _write_percent(before: Event, after: Event, currency: str) -> str:
    pct = _percent(after)
    if pct == 0:
        return f"Removed the write-down or write-up of {_line(after)}{_was(before, after, currency)}"
    direction = "down" if pct > 0 else "up"
    return (f"Wrote {_line(after)} {direction} {percent_words(abs(pct))} % "
            f"({signed(after.get('adjustment_minor'), currency)}{_was(before, after, currency)})")


def _no_charge(before: Event, after: Event, currency: str) -> str:
    return f"Marked {_line(after)} no charge (was {money(before.get('total_minor'), currency)})"


def _charge(before: Event, after: Event, currency: str) -> str:
    return f"Charged {_line(after)} again ({money(after.get('total_minor'), currency)})"


def _move(before: Event, after: Event, currency: str) -> str:
    return f"Moved {_line(after)} to matter {after.get('matter', '?')}"


def _hold(before: Event, after: Event, currency: str) -> str:
    until = after.get("held_until_after")
    return f"Held {_line(after)} for next month" + (f" (bill runs through {until} skip it)" if until else "")


# --- the whole bill -------------------------------------------------------------------------------------------

def _spread(after: Event) -> str:
    lines = after.get("lines")
    return f", spread over {_plural(len(lines), 'line', 'lines')}" if isinstance(lines, list) else ""


def _bill_amount(before: Event, after: Event, currency: str) -> str:
    amount = after.get("adjustment_minor")
    if not isinstance(amount, int) or amount == 0:
        return "Removed the whole bill's write-downs and write-ups"
    direction = "down" if amount < 0 else "up"
    return f"Wrote the whole bill {direction} {money(abs(amount), currency)}{_spread(after)}"


def _bill_percent(before: Event, after: Event, currency: str) -> str:
    pct = _percent(after)
    if pct == 0:
        return "Removed the whole bill's write-downs and write-ups"
    direction = "down" if pct > 0 else "up"
    return (f"Wrote the whole bill {direction} {percent_words(abs(pct))} % "
            f"({signed(after.get('adjustment_minor'), currency)}){_spread(after)}")


def _about(data: Event) -> str:
    return f"on line {data['line']}" if data.get("line") is not None else "about the whole bill"


def _query_add(before: Event, after: Event, currency: str) -> str:
    return f"Asked a query {_about(after)}: {quoted(after.get('question'))}"


def _query_answer(before: Event, after: Event, currency: str) -> str:
    return f"Answered the query {_about(after)}: {quoted(after.get('answer'))}"


def _submit(before: Event, after: Event, currency: str) -> str:
    return "Submitted for review"


def _approve(before: Event, after: Event, currency: str) -> str:
    reason = after.get("override_open_queries_reason")
    if not reason:
        return "Approved"
    count = after.get("open_queries")
    queries = _plural(count, "open query", "open queries") if isinstance(count, int) else "open queries"
    return f"Approved despite {queries}: {quoted(reason)}"


def _reject(before: Event, after: Event, currency: str) -> str:
    return f"Rejected back to draft: {quoted(after.get('reason'))}"


def _create(before: Event, after: Event, currency: str) -> str:
    run = after.get("bill_run")
    count = after.get("lines")
    lines = _plural(count, "line", "lines") if isinstance(count, int) else "its lines"
    source = f"by bill run {run}" if run else ""
    return " ".join(filter(None, ["Created", source, f"with {lines}",
                                  f"({money(after.get('subtotal_minor'), currency)})"]))


def _rebill(before: Event, after: Event, currency: str) -> str:
    count = after.get("lines")
    lines = _plural(count, "line", "lines") if isinstance(count, int) else "its lines"
    return (f"Re-billed from invoice {before.get('invoice', '?')} after credit note {before.get('credit_note', '?')}: "
            f"{lines} ({money(after.get('subtotal_minor'), currency)})")


SENTENCES: dict[str, Describe] = {
    "create": _create, "rebill": _rebill, "submit": _submit, "approve": _approve, "reject": _reject,
    "line_narrative": _narrative, "line_codes": _codes, "line_write_hours": _write_hours,
    "line_write_amount": _write_amount,
    "line_write_percent": _write_percent, "line_no_charge": _no_charge, "line_charge": _charge,
    "line_move": _move, "line_hold": _hold, "write_amount": _bill_amount, "write_percent": _bill_percent,
    "query_add": _query_add, "query_answer": _query_answer,
}


def describe(action: str, before: Event | None, after: Event | None, currency: str) -> str:
    """One sentence for a pre-bill's audit event ("prebill.line_write_percent" or "line_write_percent")."""
    name = action.removeprefix("prebill.")
    describe_one = SENTENCES.get(name)
    if describe_one is None:
        return name.replace("_", " ").replace(".", " ").strip().capitalize() or "Changed"
    try:
        return describe_one(before or {}, after or {}, currency)
    except (KeyError, TypeError, ValueError):  # an event recorded in an older shape: still no field names
        return name.replace("_", " ").capitalize()
