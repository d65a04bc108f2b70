"""Approval of a pre-bill: DRAFT/IN_REVIEW -> APPROVED by the billing attorney or a billing admin, or
rejected back to DRAFT with a reason. Each change is one transaction with an audit event.

Approval refuses (issue #9):
- open queries (asked, not answered), unless the approver overrides them with a reason, which is kept on
  the pre-bill (`open_queries_override_reason`) and in the approval's audit event; issue checks it again;
- lines missing a UTBMS code their matter requires, when the client's billing settings say "refuse"
  (`ClientBillingSettings.missing_codes`); there is no override: the fix is to code the lines on review.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import can, resolve
from lexbill.billing.domain.approval import (
    OpenQuery,
    missing_codes_refusal,
    open_queries_issue_refusal,
    open_queries_refusal,
)
from lexbill.billing.models import MissingCodes, PreBill, PreBillStatus, client_billing_settings
from lexbill.billing.selectors_codes import prebill_code_lines
from lexbill.billing.selectors_prebill import prebill_open_queries
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lexbill.core.transactions import service_transaction

APPROVABLE = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW)
REJECTABLE = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW, PreBillStatus.APPROVED)
OVERRIDE_REASON_MAX = 2000


class OpenQueriesRefused(Conflict):
    """Approval (or issue) refused: queries on the pre-bill are still open."""

    code = "open_queries"


class MissingCodesRefused(Conflict):
    """Approval refused: lines lack UTBMS codes the client requires, and the client refuses them."""

    code = "missing_codes"


def open_queries(prebill: PreBill) -> list[OpenQuery]:
    return [OpenQuery(q.line_id, q.question) for q in prebill_open_queries(prebill)]


def refuse_open_queries_at_issue(prebill: PreBill) -> None:
    """Issue's check: an approved pre-bill whose queries are open needs the approver's recorded reason (one
    approved before approval checked queries has none)."""
    if prebill.open_queries_override_reason:
        return
    found = open_queries(prebill)
    if found:
        raise OpenQueriesRefused(open_queries_issue_refusal(prebill.pk, found))


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
    locked = PreBill.objects.select_for_update(of=("self",)).select_related("client").filter(pk=prebill.pk).first()
    if locked is None:
        raise NotFound(f"no pre-bill {prebill.pk}")
    return locked


def _refuse_missing_codes(prebill: PreBill) -> None:
    if client_billing_settings(prebill.client).missing_codes != MissingCodes.REFUSE:
        return
    found = [(line.pk, messages) for line, messages in prebill_code_lines(prebill)]
    if found:
        raise MissingCodesRefused(missing_codes_refusal(prebill.pk, prebill.client.code, found))


def prebill_approve(*, prebill: PreBill, actor: User | None, now: datetime | None = None,
                    operator: bool = False, override_open_queries_reason: str = "") -> PreBill:
    """Approve; `override_open_queries_reason` approves despite open queries (ignored when none is open)."""
    now = now or timezone.now()
    reason = (override_open_queries_reason or "").strip()
    if len(reason) > OVERRIDE_REASON_MAX:
        raise ValidationFailed(f"the reason is at most {OVERRIDE_REASON_MAX} characters",
                               field="override_open_queries_reason")
    with service_transaction():
        locked = _locked(prebill)
        _refuse_unless_approver(locked, actor, operator, "approve")
        if locked.status not in APPROVABLE:
            raise Conflict(f"pre-bill {locked.pk} is {locked.get_status_display().lower()}: "
                           "only a draft or a pre-bill in review can be approved")
        _refuse_missing_codes(locked)
        still_open = open_queries(locked)
        if still_open and not reason:
            raise OpenQueriesRefused(open_queries_refusal(locked.pk, still_open),
                                     field="override_open_queries_reason")
        before = {"status": locked.status}
        locked.status = PreBillStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = now
        locked.rejected_reason = ""
        locked.open_queries_override_reason = reason if still_open else ""
        locked.save(update_fields=["status", "approved_by", "approved_at", "rejected_reason",
                                   "open_queries_override_reason", "updated_at"])
        after: dict[str, object] = {"status": locked.status, "approved_at": now.isoformat()}
        if still_open:
            after |= {"override_open_queries_reason": reason, "open_queries": len(still_open),
                      "open_query_lines": sorted({q.line_id for q in still_open if q.line_id is not None})}
        audit_record(firm=locked.firm, actor=actor, action="prebill.approve", entity="prebill", entity_id=locked.pk,
                     before=before, after=after, at=now)
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
        # The approval no longer holds (nor its override); who approved it before stays in the audit trail.
        locked.approved_by = None
        locked.approved_at = None
        locked.open_queries_override_reason = ""
        locked.save(update_fields=["status", "rejected_reason", "approved_by", "approved_at",
                                   "open_queries_override_reason", "updated_at"])
        audit_record(firm=locked.firm, actor=actor, action="prebill.reject", entity="prebill", entity_id=locked.pk,
                     before=before, after={"status": locked.status, "reason": reason}, at=now)
    return locked
