"""Write-down/up arithmetic for pre-bill review: pure functions on integers and Decimals.

Sign convention (the same as a line's `adjustment_minor`): a write-down is negative, a write-up positive.
A percent is given the way a clerk says it ("10" = write down 10 %); a negative percent writes up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from lexbill.core.money import round_half_up

from .allocation import allocate_largest_remainder

# A write-down of more than the whole base would make a line negative; a write-up has no natural limit,
# but a 10x write-up is surely a typo.
MAX_WRITE_DOWN_PERCENT = Decimal(100)
MAX_WRITE_UP_PERCENT = Decimal(1000)


def parse_percent(value: Decimal | str | int) -> Decimal:
    """A write-down percent from user input ("10", "12.5", "-5" for a write-up); ValueError if not one."""
    try:
        percent = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a percent: {value!r}") from exc
    if not percent.is_finite():
        raise ValueError(f"not a percent: {value!r}")
    if percent > MAX_WRITE_DOWN_PERCENT:
        raise ValueError(f"cannot write down more than {MAX_WRITE_DOWN_PERCENT} %")
    if -percent > MAX_WRITE_UP_PERCENT:
        raise ValueError(f"cannot write up more than {MAX_WRITE_UP_PERCENT} %")
    return percent


def percent_adjustment_minor(base_minor: int, percent: Decimal) -> int:
    """The adjustment for writing `base_minor` down by `percent`: -round_half_up(base x percent / 100)."""
    return -round_half_up(Decimal(base_minor) * percent / 100)


def allocate_over_lines(total_minor: int, weights: Sequence[int]) -> list[int]:
    """Spread a bill-level adjustment over line bases (which are never negative) by largest remainder."""
    if any(weight < 0 for weight in weights):
        raise ValueError("weights cannot be negative")
    return allocate_largest_remainder(total_minor, weights)


def whole_bill_label(write: dict[str, object] | None, lines: Sequence[tuple[int, int]]) -> str:
    """How a client document names the bill-level write-down or write-up still standing on the bill, or "".

    `write` is the last whole-bill write recorded on the pre-bill (its audit event's `after`: the amount,
    the percent when given as one, each line's share); `lines` are the (pre-bill line id, adjustment) of the
    lines being billed, adjustment lines excluded. The write stands only if every line still carries exactly
    its share and no share sits on a line that is not billed: then the documents show the lines at their full
    amounts and ONE adjustment line ("Discount 10 %", else "Adjustment"), while the lines keep their shares
    (LEDES needs per-line amounts). A line written since on its own means the adjustments are the lines' own,
    and "" is returned: the documents then list them line by line."""
    if not write or not write.get("adjustment_minor"):
        return ""
    raw_lines = write.get("lines")
    if not isinstance(raw_lines, list):
        return ""
    shares = {int(row["line"]): int(row["adjustment_minor"]) for row in raw_lines}
    if any(adjustment != shares.get(line_id, 0) for line_id, adjustment in lines):
        return ""
    billed = {line_id for line_id, _ in lines}
    if any(share for line_id, share in shares.items() if line_id not in billed):
        return ""
    percent = write.get("percent")
    if percent is not None and Decimal(str(percent)) > 0:
        shown = f"{Decimal(str(percent)).normalize():f}"
        return f"Discount {shown} %"
    return "Adjustment"
