"""Approval of a pre-bill: DRAFT/IN_REVIEW -> APPROVED by the billing attorney or a billing admin, or
rejected back to DRAFT with a reason. Each change is one transaction with an audit event."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import can, resolve
from lexbill.billing.models import PreBill, PreBillStatus
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lexbill.core.transactions import service_transaction

APPROVABLE = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW)
REJECTABLE = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW, PreBillStatus.APPROVED)


def _refuse_unless_approver(prebill: PreBill, actor: User | None, operator: bool, verb: str) -> None:
    """The billing attorney of every matter on the pre-bill, or a billing admin (lexbill.access decides).

    `operator`: the local command-line operator without --as, who has the database itself and so counts
    as a billing admin (the audit event names no user: "system"). actor=None without it is refused, so
    that a face which lost its user cannot approve by accident."""
    if actor is None and not operator:
        raise PermissionDenied(f"only the matter's billing attorney or a billing admin can {verb} this pre-bill")
    if actor is not None and not can(resolve(actor, prebill.firm), "prebills.approve", prebill):
        raise PermissionDenied(f"only the matter's billing attorney or a billing admin can {verb} this pre-bill")


def _locked(prebill: PreBill) -> PreBill:
    locked = PreBill.objects.select_for_update().filter(pk=prebill.pk).first()
    if locked is None:
        raise NotFound(f"no pre-bill {prebill.pk}")
    return locked


def prebill_approve(*, prebill: PreBill, actor: User | None, now: datetime | None = None,
                    operator: bool = False) -> PreBill:
    now = now or timezone.now()
    with service_transaction():
        locked = _locked(prebill)
        _refuse_unless_approver(locked, actor, operator, "approve")
        if locked.status not in APPROVABLE:
            raise Conflict(f"pre-bill {locked.pk} is {locked.get_status_display().lower()}: "
                           "only a draft or a pre-bill in review can be approved")
        before = {"status": locked.status}
        locked.status = PreBillStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = now
        locked.rejected_reason = ""
        locked.save(update_fields=["status", "approved_by", "approved_at", "rejected_reason", "updated_at"])
        audit_record(firm=locked.firm, actor=actor, action="prebill.approve", entity="prebill", entity_id=locked.pk,
                     before=before, after={"status": locked.status, "approved_at": now.isoformat()}, at=now)
    return locked


def prebill_reject(*, prebill: PreBill, actor: User | None, reason: str, now: datetime | None = None,
                   operator: bool = False) -> PreBill:
    now = now or timezone.now()
    reason = (reason or "").strip()
    with service_transaction():
        locked = _locked(prebill)
        _refuse_unless_approver(locked, actor, operator, "reject")
        if not reason:
            raise ValidationFailed("a rejection needs a reason", field="reason")
        if locked.status not in REJECTABLE:
            raise Conflict(f"pre-bill {locked.pk} is {locked.get_status_display().lower()}: it cannot be rejected")
        before = {"status": locked.status, "approved_by": locked.approved_by_id}
        locked.status = PreBillStatus.DRAFT
        locked.rejected_reason = reason
        # The approval no longer holds; who approved it before stays in the audit trail.
        locked.approved_by = None
        locked.approved_at = None
        locked.save(update_fields=["status", "rejected_reason", "approved_by", "approved_at", "updated_at"])
        audit_record(firm=locked.firm, actor=actor, action="prebill.reject", entity="prebill", entity_id=locked.pk,
                     before=before, after={"status": locked.status, "reason": reason}, at=now)
    return locked
