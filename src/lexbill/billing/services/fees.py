"""A matter's fee schedule (flat-fee items, milestones) and its recoveries (contingency).

The bill run reads these rows (`selectors_billrun.billrun_gather`): a fee item is billed once its date has
come or its milestone is reached, a recovery as the contingency share of it. Once a row is on a current
pre-bill line or on an invoice it is part of a bill: changing it would make the bill disagree with what it
was made from, so every change is refused (a conflict) and nothing changes. Each service is one
transaction that locks the row, checks, writes and records an audit event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.clients.models import FeeArrangement, Matter
from lexbill.core.audit import audit_record, snapshot
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.transactions import service_transaction
from lexbill.timekeeping.domain import TASK_CODE, check_code

from ..models import FeeItem, InvoiceLine, PreBillLine, Recovery

FEE_ITEM_FIELDS = ["matter", "description", "amount_minor", "task_code", "due_on", "is_milestone_reached"]
FEE_ITEM_EDITABLE = ["description", "amount_minor", "task_code", "due_on"]
RECOVERY_FIELDS = ["matter", "received_on", "amount_minor", "description"]
MAX_DESCRIPTION = 200


# --- checks shared by fee items and recoveries ------------------------------------------------------------------

def _check_matter(firm: Firm, matter: Matter) -> None:
    if matter.firm_id != firm.pk:
        raise NotFound("no such matter")
    if not matter.is_open:
        raise ValidationFailed(f"matter {matter.number} is closed", field="matter")


def _description(value: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed("a description is required", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(f"the description is longer than {MAX_DESCRIPTION} characters", field="description")
    return text


def _amount(amount_minor: int) -> int:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise ValidationFailed("the amount must be more than zero", field="amount_minor")
    return amount_minor


def billed_on(field_name: str, pk: int) -> str | None:
    """Why the fee item / recovery is part of a bill ("pre-bill 12", "invoice 2026-00042"), or None."""
    line = PreBillLine.objects.filter(is_current=True, **{field_name: pk}).values_list("prebill_id", flat=True).first()
    if line is not None:
        return f"pre-bill {line}"
    # Credit notes carry the same link; the invoice they correct is the one that billed the row.
    number = InvoiceLine.objects.filter(**{field_name: pk}).order_by("invoice__issued_on", "invoice_id") \
        .values_list("invoice__number", flat=True).first()
    return f"invoice {number}" if number is not None else None


def _refuse_if_billed(field_name: str, pk: int, what: str) -> None:
    where = billed_on(field_name, pk)
    if where is not None:
        raise Conflict(f"{what} is on {where}: it can no longer be changed")


def _refuse_if_recorded(field_name: str, pk: int, what: str) -> None:
    """A held or cancelled pre-bill line still names the row (it is the bill's history): keep the row."""
    _refuse_if_billed(field_name, pk, what)
    prebill_id = PreBillLine.objects.filter(**{field_name: pk}).values_list("prebill_id", flat=True).first()
    if prebill_id is not None:
        raise Conflict(f"{what} is recorded on pre-bill {prebill_id}: it can no longer be deleted")


# --- fee items -------------------------------------------------------------------------------------------------

def _clean_fee_item(matter: Matter, fields: dict[str, Any]) -> dict[str, Any]:
    if "description" in fields:
        fields["description"] = _description(fields["description"], required=True)
    if "amount_minor" in fields:
        fields["amount_minor"] = _amount(fields["amount_minor"])
    if "task_code" in fields:
        try:
            fields["task_code"] = check_code(fields["task_code"] or "", TASK_CODE, "task")
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="task_code") from exc
        # On any other arrangement the phase's time would be billed hourly on top of the fixed fee.
        if fields["task_code"] and matter.fee_arrangement != FeeArrangement.FLAT:
            raise ValidationFailed("a phase (task code) makes sense only on a flat-fee matter", field="task_code")
    return fields


def fee_item_create(*, firm: Firm, matter: Matter, description: str, amount_minor: int, actor: User | None,
                    due_on: date | None = None, task_code: str = "", now: datetime | None = None) -> FeeItem:
    """A scheduled item (billable from `due_on`) or, with no date, a milestone (billable once reached)."""
    enforce(actor, firm, "fees.change")
    _check_matter(firm, matter)
    fields = _clean_fee_item(matter, {"description": description, "amount_minor": amount_minor,
                                      "task_code": task_code})
    with service_transaction():
        item = FeeItem.objects.create(firm=firm, matter=matter, due_on=due_on, is_milestone_reached=False, **fields)
        audit_record(firm=firm, actor=actor, action="fee_item.create", instance=item, at=now,
                     after=snapshot(item, FEE_ITEM_FIELDS))
    return item


def _lock_fee_item(fee_item: FeeItem) -> FeeItem:
    locked = FeeItem.objects.select_for_update(of=("self",)).select_related("matter", "firm") \
        .filter(pk=fee_item.pk).first()
    if locked is None:
        raise NotFound(f"no fee item {fee_item.pk}")
    return locked


def fee_item_update(*, fee_item: FeeItem, actor: User | None, now: datetime | None = None,
                    **changes: Any) -> FeeItem:
    """Change description, amount, phase or date (due_on=None makes it a milestone, not yet reached)."""
    enforce(actor, fee_item.firm_id, "fees.change")
    unknown = set(changes) - set(FEE_ITEM_EDITABLE)
    if unknown:
        raise ValidationFailed(f"cannot change: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    with service_transaction():
        item = _lock_fee_item(fee_item)
        _refuse_if_billed("fee_item", item.pk, f"fee item {item.pk}")
        fields = _clean_fee_item(item.matter, dict(changes))
        if "due_on" in fields and fields["due_on"] != item.due_on:
            # A scheduled item is billed by its date; "reached" belongs to milestones only.
            fields["is_milestone_reached"] = False
        before = snapshot(item, FEE_ITEM_FIELDS)
        for name, value in fields.items():
            setattr(item, name, value)
        after = snapshot(item, FEE_ITEM_FIELDS)
        if after == before:
            return item
        item.save(update_fields=list(fields))
        audit_record(firm=item.firm, actor=actor, action="fee_item.update", instance=item, at=now,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    return item


def fee_item_delete(*, fee_item: FeeItem, actor: User | None, now: datetime | None = None) -> None:
    enforce(actor, fee_item.firm_id, "fees.change")
    with service_transaction():
        item = _lock_fee_item(fee_item)
        _refuse_if_recorded("fee_item", item.pk, f"fee item {item.pk}")
        before = snapshot(item, FEE_ITEM_FIELDS)
        pk = item.pk
        item.delete()
        audit_record(firm=item.firm, actor=actor, action="fee_item.delete", entity="feeitem", entity_id=pk,
                     at=now, before=before)


def _set_reached(fee_item: FeeItem, reached: bool, actor: User | None, now: datetime | None) -> FeeItem:
    with service_transaction():
        item = _lock_fee_item(fee_item)
        if item.due_on is not None:
            raise ValidationFailed(f"fee item {item.pk} is scheduled for {item.due_on.isoformat()}, not a milestone",
                                   field="due_on")
        if item.is_milestone_reached == reached:
            state = "already reached" if reached else "not reached"
            raise Conflict(f"milestone {item.pk} is {state}")
        _refuse_if_billed("fee_item", item.pk, f"milestone {item.pk}")
        item.is_milestone_reached = reached
        item.save(update_fields=["is_milestone_reached"])
        audit_record(firm=item.firm, actor=actor, action="fee_item.reach" if reached else "fee_item.unreach",
                     instance=item, at=now, before={"is_milestone_reached": not reached},
                     after={"is_milestone_reached": reached})
    return item


def milestone_reach(*, fee_item: FeeItem, actor: User | None, now: datetime | None = None) -> FeeItem:
    """The milestone is billable from the next bill run on."""
    enforce(actor, fee_item.firm_id, "fees.change")
    return _set_reached(fee_item, True, actor, now)


def milestone_unreach(*, fee_item: FeeItem, actor: User | None, now: datetime | None = None) -> FeeItem:
    """Undo a mistaken "reached" (refused once the item is on a bill)."""
    enforce(actor, fee_item.firm_id, "fees.change")
    return _set_reached(fee_item, False, actor, now)


# --- recoveries ------------------------------------------------------------------------------------------------

def recovery_create(*, firm: Firm, matter: Matter, amount_minor: int, received_on: date, actor: User | None,
                    today: date, description: str = "", now: datetime | None = None) -> Recovery:
    """Money recovered for the client; the next bill run bills the matter's percentage of it."""
    enforce(actor, firm, "fees.change")
    _check_matter(firm, matter)
    # Any other arrangement ignores recoveries: refusing says so instead of silently billing nothing.
    if matter.fee_arrangement != FeeArrangement.CONTINGENCY:
        raise ValidationFailed(f"matter {matter.number} is not a contingency matter", field="matter")
    amount = _amount(amount_minor)
    if received_on > today:
        raise ValidationFailed(f"{received_on.isoformat()} is in the future", field="received_on")
    text = _description(description, required=False)
    with service_transaction():
        recovery = Recovery.objects.create(firm=firm, matter=matter, amount_minor=amount, received_on=received_on,
                                           description=text)
        audit_record(firm=firm, actor=actor, action="recovery.create", instance=recovery, at=now,
                     after=snapshot(recovery, RECOVERY_FIELDS))
    return recovery


def recovery_delete(*, recovery: Recovery, actor: User | None, now: datetime | None = None) -> None:
    """Remove a recovery entered by mistake (refused once it is on a bill)."""
    enforce(actor, recovery.firm_id, "fees.change")
    with service_transaction():
        locked = Recovery.objects.select_for_update(of=("self",)).select_related("firm") \
            .filter(pk=recovery.pk).first()
        if locked is None:
            raise NotFound(f"no recovery {recovery.pk}")
        _refuse_if_recorded("recovery", locked.pk, f"recovery {locked.pk}")
        before = snapshot(locked, RECOVERY_FIELDS)
        pk = locked.pk
        locked.delete()
        audit_record(firm=locked.firm, actor=actor, action="recovery.delete", entity="recovery", entity_id=pk,
                     at=now, before=before)
