"""Pre-bill review: edit narratives, write lines or the whole bill down/up, no-charge, submit for review.

Every operation is one transaction that locks the pre-bill row first and then its lines in primary-key order
(the same order everywhere, so two clerks editing one bill queue instead of deadlocking), refuses unless the
pre-bill is a draft or in review, and records an audit event on entity "prebill" with the pre-bill's id, so
the review page can show the events as the bill's edit history.

Adjustments are *set*, not accumulated: writing a line down by 10 % (or 50.00) makes its adjustment that
amount whatever it was; a bill-level write-down replaces every line's adjustment by its share of the amount.
Moving and holding lines are in `review_moves`, queries to the lawyer in `review_queries`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import enforce
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.hours import MAX_HOURS_A_DAY, hours_to_milli, milli_to_hours
from lexbill.core.transactions import service_transaction
from lexbill.timekeeping.domain import expense_amount_minor

from ..domain.adjust import allocate_over_lines, parse_percent, percent_adjustment_minor
from ..domain.lines import fee_base_minor
from ..models import LineKind, PreBill, PreBillLine, PreBillStatus

REVIEWABLE = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW)
FIGURES = ["hours_billed", "base_minor", "adjustment_minor", "total_minor", "is_no_charge"]


# --- shared by every review service --------------------------------------------------------------------------

def lock_prebill(prebill_id: int) -> PreBill:
    """Lock the pre-bill row; refuse unless it can still be reviewed."""
    # Only the pre-bill row: the firm row is locked last, by the audit event, in every service.
    prebill = PreBill.objects.select_for_update(of=("self",)).select_related("firm").filter(pk=prebill_id).first()
    if prebill is None:
        raise NotFound(f"no pre-bill {prebill_id}")
    if prebill.status not in REVIEWABLE:
        raise Conflict(f"pre-bill {prebill.pk} is {prebill.get_status_display().lower()}: only a draft or a "
                       "pre-bill in review can be changed")
    return prebill


def lock_line(line: PreBillLine) -> tuple[PreBill, PreBillLine]:
    prebill = lock_prebill(line.prebill_id)
    locked = PreBillLine.objects.select_for_update().get(pk=line.pk)
    if not locked.is_current:
        raise Conflict(f"line {locked.pk} is no longer on pre-bill {prebill.pk}")
    return prebill, locked


def record(prebill: PreBill, *, actor: User | None, action: str, before: dict[str, Any], after: dict[str, Any],
           now: datetime | None) -> None:
    """The pre-bill's edit-history event; also bumps `updated_at` so readers see the bill changed."""
    audit_record(firm=prebill.firm, actor=actor, action=f"prebill.{action}", entity="prebill",
                 entity_id=prebill.pk, before=before, after=after, at=now or timezone.now())
    prebill.save(update_fields=["updated_at"])


def actor_user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _figures(line: PreBillLine) -> dict[str, Any]:
    return {"line": line.pk, **{name: getattr(line, name) for name in FIGURES}}


def _check_total(line: PreBillLine) -> None:
    line.total_minor = line.base_minor + line.adjustment_minor
    if line.total_minor < 0:
        raise ValidationFailed(f"a write-down of {-line.adjustment_minor} would take line {line.pk} below zero "
                               f"(its amount is {line.base_minor})", field="adjustment")


def _refuse_unadjustable(line: PreBillLine) -> None:
    if line.kind == LineKind.ADJUSTMENT:
        raise ValidationFailed("an adjustment line cannot be written down or up: adjust the bill instead")
    if line.is_no_charge:
        raise ValidationFailed(f"line {line.pk} is no-charge: charge it again before writing it down or up")


# --- one line -------------------------------------------------------------------------------------------------

def prebill_line_edit_narrative(*, line: PreBillLine, narrative: str, actor: User | None,
                                now: datetime | None = None) -> PreBillLine:
    enforce(actor, line.firm_id, "prebills.change")
    narrative = (narrative or "").strip()
    if not narrative:
        raise ValidationFailed("a narrative is required", field="narrative")
    with service_transaction():
        prebill, locked = lock_line(line)
        if locked.narrative == narrative:
            return locked
        before = {"line": locked.pk, "narrative": locked.narrative}
        locked.narrative = narrative
        locked.save(update_fields=["narrative"])
        record(prebill, actor=actor, action="line_narrative", before=before,
               after={"line": locked.pk, "narrative": narrative}, now=now)
    return locked


def prebill_line_write_hours(*, line: PreBillLine, hours_billed: Decimal | str, actor: User | None,
                             now: datetime | None = None) -> PreBillLine:
    """Bill a fee line for other hours (hours worked stay as recorded); the base is recomputed from the
    rate, the line's adjustment is kept as it was."""
    enforce(actor, line.firm_id, "prebills.change")
    try:
        hours = milli_to_hours(hours_to_milli(hours_billed))
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="hours_billed") from exc
    if hours < 0 or hours > MAX_HOURS_A_DAY:
        raise ValidationFailed(f"hours billed must be between 0 and {MAX_HOURS_A_DAY}", field="hours_billed")
    with service_transaction():
        prebill, locked = lock_line(line)
        if locked.kind != LineKind.FEE or locked.rate_minor is None:
            raise ValidationFailed(f"line {locked.pk} is not a time line: write it down by amount or percent")
        before = _figures(locked)
        locked.hours_billed = hours
        locked.base_minor = fee_base_minor(hours, locked.rate_minor, is_no_charge=locked.is_no_charge)
        _check_total(locked)
        locked.save(update_fields=["hours_billed", "base_minor", "total_minor"])
        record(prebill, actor=actor, action="line_write_hours", before=before, after=_figures(locked), now=now)
    return locked


def _set_line_adjustment(line: PreBillLine, *, actor: User | None, now: datetime | None, action: str,
                         adjustment_of: Any, extra: dict[str, Any]) -> PreBillLine:
    with service_transaction():
        prebill, locked = lock_line(line)
        _refuse_unadjustable(locked)
        before = _figures(locked)
        locked.adjustment_minor = adjustment_of(locked.base_minor)
        _check_total(locked)
        locked.save(update_fields=["adjustment_minor", "total_minor"])
        record(prebill, actor=actor, action=action, before=before, after={**_figures(locked), **extra}, now=now)
    return locked


def prebill_line_write_amount(*, line: PreBillLine, adjustment_minor: int, actor: User | None,
                              now: datetime | None = None) -> PreBillLine:
    """Set the line's adjustment: negative writes down, positive writes up, 0 removes it."""
    enforce(actor, line.firm_id, "prebills.change")
    if not isinstance(adjustment_minor, int) or isinstance(adjustment_minor, bool):
        raise ValidationFailed("an adjustment is a whole number of minor units", field="adjustment")
    return _set_line_adjustment(line, actor=actor, now=now, action="line_write_amount",
                                adjustment_of=lambda _base: adjustment_minor, extra={})


def prebill_line_write_percent(*, line: PreBillLine, percent: Decimal | str, actor: User | None,
                               now: datetime | None = None) -> PreBillLine:
    """Write the line down by `percent` of its base ("10" = 10 % down; "-5" = 5 % up)."""
    enforce(actor, line.firm_id, "prebills.change")
    try:
        pct = parse_percent(percent)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="percent") from exc
    return _set_line_adjustment(line, actor=actor, now=now, action="line_write_percent",
                                adjustment_of=lambda base: percent_adjustment_minor(base, pct),
                                extra={"percent": str(pct)})


def prebill_line_set_no_charge(*, line: PreBillLine, is_no_charge: bool, actor: User | None,
                               now: datetime | None = None) -> PreBillLine:
    """No-charge shows the line on the bill at zero (hours kept, adjustment cleared); back charges it again
    at its hours x rate (fees) or its expense amount."""
    enforce(actor, line.firm_id, "prebills.change")
    with service_transaction():
        prebill, locked = lock_line(line)
        if locked.is_no_charge == is_no_charge:
            return locked
        before = _figures(locked)
        if locked.kind == LineKind.FEE and locked.rate_minor is not None and locked.hours_billed is not None:
            locked.base_minor = fee_base_minor(locked.hours_billed, locked.rate_minor, is_no_charge=is_no_charge)
        elif locked.kind == LineKind.EXPENSE and locked.quantity is not None and locked.unit_cost_minor is not None:
            locked.base_minor = 0 if is_no_charge else expense_amount_minor(locked.quantity, locked.unit_cost_minor)
        else:
            raise ValidationFailed(f"line {locked.pk} is a {locked.get_kind_display().lower()} line: only time and "
                                   "expense lines can be no-charge")
        locked.is_no_charge = is_no_charge
        locked.adjustment_minor = 0
        _check_total(locked)
        locked.save(update_fields=["is_no_charge", "base_minor", "adjustment_minor", "total_minor"])
        record(prebill, actor=actor, action="line_no_charge" if is_no_charge else "line_charge", before=before,
               after=_figures(locked), now=now)
    return locked


# --- the whole bill -------------------------------------------------------------------------------------------

def _write_bill(prebill: PreBill, *, actor: User | None, now: datetime | None, action: str,
                amount_of: Any, extra: dict[str, Any]) -> PreBill:
    with service_transaction():
        locked = lock_prebill(prebill.pk)
        lines = [line for line in PreBillLine.objects.select_for_update()
                 .filter(prebill=locked, is_current=True).order_by("pk")
                 if line.kind != LineKind.ADJUSTMENT]
        weights = [max(line.base_minor, 0) for line in lines]
        amount = amount_of(sum(weights))
        if -amount > sum(weights):
            raise ValidationFailed(f"a write-down of {-amount} is more than the bill's {sum(weights)}",
                                   field="adjustment")
        try:
            shares = allocate_over_lines(amount, weights)
        except ValueError as exc:
            raise ValidationFailed("nothing on this bill to write down or up", field="adjustment") from exc
        before = [{"line": line.pk, "adjustment_minor": line.adjustment_minor, "total_minor": line.total_minor}
                  for line in lines]
        for line, share in zip(lines, shares, strict=True):
            line.adjustment_minor = share
            _check_total(line)
        PreBillLine.objects.bulk_update(lines, ["adjustment_minor", "total_minor"], batch_size=500)
        after = [{"line": line.pk, "adjustment_minor": line.adjustment_minor, "total_minor": line.total_minor}
                 for line in lines]
        record(locked, actor=actor, action=action, before={"lines": before},
               after={"adjustment_minor": amount, **extra, "lines": after}, now=now)
    return locked


def prebill_write_amount(*, prebill: PreBill, adjustment_minor: int, actor: User | None,
                         now: datetime | None = None) -> PreBill:
    """Write the whole bill down (negative) or up (positive) by an amount, spread over its time, expense and
    fixed-fee lines in proportion to their amounts by largest remainder, so the line adjustments sum exactly
    to it. Replaces the lines' earlier adjustments; no-charge lines (amount 0) get nothing."""
    enforce(actor, prebill.firm_id, "prebills.change")
    if not isinstance(adjustment_minor, int) or isinstance(adjustment_minor, bool):
        raise ValidationFailed("an adjustment is a whole number of minor units", field="adjustment")
    return _write_bill(prebill, actor=actor, now=now, action="write_amount",
                       amount_of=lambda _weight: adjustment_minor, extra={})


def prebill_write_percent(*, prebill: PreBill, percent: Decimal | str, actor: User | None,
                          now: datetime | None = None) -> PreBill:
    """Write the whole bill down by `percent` of the lines' amounts: -round_half_up(sum x pct / 100), spread
    like `prebill_write_amount`."""
    enforce(actor, prebill.firm_id, "prebills.change")
    try:
        pct = parse_percent(percent)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="percent") from exc
    return _write_bill(prebill, actor=actor, now=now, action="write_percent",
                       amount_of=lambda weight: percent_adjustment_minor(weight, pct), extra={"percent": str(pct)})


def prebill_submit(*, prebill: PreBill, actor: User | None, now: datetime | None = None) -> PreBill:
    """Draft -> in review: the clerk hands the pre-bill to the billing attorney."""
    enforce(actor, prebill.firm_id, "prebills.change")
    with service_transaction():
        locked = lock_prebill(prebill.pk)
        if locked.status != PreBillStatus.DRAFT:
            raise Conflict(f"pre-bill {locked.pk} is already in review")
        if not PreBillLine.objects.filter(prebill=locked, is_current=True).exists():
            raise ValidationFailed(f"pre-bill {locked.pk} has no lines to review")
        locked.status = PreBillStatus.IN_REVIEW
        locked.save(update_fields=["status", "updated_at"])
        record(locked, actor=actor, action="submit", before={"status": PreBillStatus.DRAFT.value},
               after={"status": PreBillStatus.IN_REVIEW.value}, now=now)
    return locked
