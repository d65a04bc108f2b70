"""Approval and rejection of a pre-bill: who may, from which states, and what is kept."""

from datetime import UTC, datetime

import pytest

from lexbill.billing.models import PreBill, PreBillStatus
from lexbill.billing.services.approval import prebill_approve, prebill_reject
from lexbill.core.errors import Conflict, PermissionDenied, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .billing_helpers import MARCH_2

NOW = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def draft(firm, matter, partner):
    return make_prebill(firm, matter, work=[(partner, MARCH_2, "1.5", "Draft motion")],
                        status=PreBillStatus.IN_REVIEW)


@pytest.fixture
def partner_user(firm, partner):
    user = factories.make_user(firm, email="ra@arnsley.example", role="attorney")
    partner.user = user
    partner.save(update_fields=["user"])
    return user


def test_the_billing_attorney_approves(draft, partner_user):
    prebill_approve(prebill=draft, actor=partner_user, now=NOW)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by, draft.approved_at) == ("approved", partner_user, NOW)
    event = AuditEvent.objects.filter(action="prebill.approve").get()
    assert (event.entity, event.entity_id, event.actor, event.before, event.after) == (
        "prebill", str(draft.pk), partner_user, {"status": "in_review"},
        {"status": "approved", "approved_at": "2026-04-01T09:30:00+00:00"})


@pytest.mark.parametrize("role", ["admin", "billing"])
def test_a_billing_admin_approves_a_draft(firm, draft, role):
    draft.status = PreBillStatus.DRAFT
    draft.save()
    clerk = factories.make_user(firm, email=f"{role}@arnsley.example", role=role)
    assert prebill_approve(prebill=draft, actor=clerk, now=NOW).status == "approved"


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_anyone_else_is_refused_and_nothing_changes(firm, draft, associate, role):
    other = factories.make_user(firm, email="jd@arnsley.example", role=role)
    associate.user = other
    associate.save(update_fields=["user"])
    with pytest.raises(PermissionDenied, match="billing attorney or a billing admin"):
        prebill_approve(prebill=draft, actor=other, now=NOW)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by, draft.approved_at) == ("in_review", None, None)
    assert not AuditEvent.objects.filter(action="prebill.approve").exists()


def test_a_member_of_another_firm_is_refused(draft, other_firm, partner):
    outsider = factories.make_user(other_firm, email="x@other.example", role="admin")
    with pytest.raises(PermissionDenied):
        prebill_approve(prebill=draft, actor=outsider, now=NOW)
    assert PreBill.objects.get(pk=draft.pk).status == "in_review"


@pytest.mark.parametrize("status", ["approved", "issued", "cancelled"])
def test_only_a_draft_or_in_review_can_be_approved(draft, admin_user, status):
    PreBill.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(Conflict, match="only a draft or a pre-bill in review"):
        prebill_approve(prebill=draft, actor=admin_user, now=NOW)
    assert PreBill.objects.get(pk=draft.pk).status == status


def test_reject_sends_an_approved_bill_back_to_draft_with_the_reason(draft, partner_user, admin_user):
    prebill_approve(prebill=draft, actor=partner_user, now=NOW)
    prebill_reject(prebill=draft, actor=admin_user, reason="  Narratives too vague ", now=NOW)
    draft.refresh_from_db()
    assert (draft.status, draft.rejected_reason, draft.approved_by, draft.approved_at) == (
        "draft", "Narratives too vague", None, None)
    event = AuditEvent.objects.filter(action="prebill.reject").get()
    assert (event.before, event.after) == ({"status": "approved", "approved_by": partner_user.pk},
                                           {"status": "draft", "reason": "Narratives too vague"})
    # Who approved it before stays in the trail.
    assert AuditEvent.objects.filter(action="prebill.approve", actor=partner_user).count() == 1


def test_reject_needs_a_reason(draft, admin_user):
    with pytest.raises(ValidationFailed, match="needs a reason"):
        prebill_reject(prebill=draft, actor=admin_user, reason="  ", now=NOW)
    draft.refresh_from_db()
    assert (draft.status, draft.rejected_reason) == ("in_review", "")


def test_an_issued_pre_bill_cannot_be_rejected(draft, admin_user):
    PreBill.objects.filter(pk=draft.pk).update(status="issued")
    with pytest.raises(Conflict, match="cannot be rejected"):
        prebill_reject(prebill=draft, actor=admin_user, reason="late", now=NOW)
    assert PreBill.objects.get(pk=draft.pk).status == "issued"


def test_approving_again_after_rejection_clears_the_reason(draft, admin_user):
    prebill_reject(prebill=draft, actor=admin_user, reason="fix L120 codes", now=NOW)
    prebill_approve(prebill=draft, actor=admin_user, now=NOW)
    draft.refresh_from_db()
    assert (draft.status, draft.rejected_reason, draft.approved_by) == ("approved", "", admin_user)
