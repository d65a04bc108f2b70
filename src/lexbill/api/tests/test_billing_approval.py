"""/prebills/{id}/submit|approve|reject: the token's user approves; their role (or being the matter's
billing attorney) decides; a refusal changes nothing."""

import pytest

from lexbill.billing.models import PreBill
from lexbill.core.models import AuditEvent
from lexbill.testing import factories

from .billing_api_helpers import acme_prebill, api_as

pytestmark = pytest.mark.django_db


def _state(prebill):  # type: ignore[no-untyped-def]
    prebill.refresh_from_db()
    return (prebill.status, prebill.approved_by_id, prebill.approved_at, prebill.rejected_reason,
            AuditEvent.objects.count())


def test_submit_then_approve_as_the_token_user(api, firm, matter, partner, associate, admin_user):
    prebill = acme_prebill(firm, matter, partner, associate)

    submitted = api.post(f"/prebills/{prebill.pk}/submit", {})
    approved = api.post(f"/prebills/{prebill.pk}/approve", {})

    assert submitted.json()["status"] == "in_review"
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("approved", "admin@arnsley.example")
    assert approved.json()["approved_at"] is not None
    prebill.refresh_from_db()
    assert (prebill.status, prebill.approved_by) == ("approved", admin_user)


def test_submitting_twice_is_409(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="in_review")
    before = _state(prebill)

    assert api.post(f"/prebills/{prebill.pk}/submit", {}).status_code == 409
    assert _state(prebill) == before


def test_the_matters_billing_attorney_approves_and_another_attorney_may_not(firm, client_acme, partner, associate):
    billing_api, billing_user = api_as(firm, "attorney", "rob@arnsley.example")
    other_api, _ = api_as(firm, "attorney", "sam@arnsley.example")
    attorney = factories.make_timekeeper(firm, initials="RB", classification="PT", user=billing_user)
    own = factories.make_matter(firm, client=client_acme, billing_attorney=attorney, number="ACME-009")
    prebill = acme_prebill(firm, own, partner, associate)
    before = _state(prebill)

    refused = other_api.post(f"/prebills/{prebill.pk}/approve", {})

    # Stricter since lexbill.access: another attorney does not see the pre-bill at all (as in the web).
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert _state(prebill) == before
    assert billing_api.post(f"/prebills/{prebill.pk}/approve", {}).json()["approved_by"] == "rob@arnsley.example"


def test_accounting_cannot_approve(firm, matter, partner, associate):
    accounting, _ = api_as(firm, "accounting")
    prebill = acme_prebill(firm, matter, partner, associate)
    before = _state(prebill)

    assert accounting.post(f"/prebills/{prebill.pk}/approve", {}).status_code == 403
    assert accounting.post(f"/prebills/{prebill.pk}/reject", {"reason": "No"}).status_code == 403
    assert _state(prebill) == before


def test_reject_back_to_draft_with_a_reason(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")

    response = api.post(f"/prebills/{prebill.pk}/reject", {"reason": "Narratives too vague"})

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("status", "rejected_reason", "approved_by", "approved_at")} == {
        "status": "draft", "rejected_reason": "Narratives too vague", "approved_by": None, "approved_at": None}


def test_reject_without_a_reason_is_422(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")
    before = _state(prebill)

    response = api.post(f"/prebills/{prebill.pk}/reject", {})

    assert (response.status_code, response.json()["field"]) == (422, "reason")
    assert _state(prebill) == before


def test_approving_an_approved_pre_bill_is_409(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")
    before = _state(prebill)

    assert api.post(f"/prebills/{prebill.pk}/approve", {}).status_code == 409
    assert _state(prebill) == before
    assert PreBill.objects.get().status == "approved"


def test_attorneys_answer_queries_on_their_matters_but_cannot_edit(api, firm, client_acme, partner, associate):
    attorney_api, user = api_as(firm, "attorney", "rob@arnsley.example")
    attorney = factories.make_timekeeper(firm, initials="RB", classification="PT", user=user)
    own = factories.make_matter(firm, client=client_acme, billing_attorney=attorney, number="ACME-009")
    prebill = acme_prebill(firm, own, partner, associate)
    query_id = api.post(f"/prebills/{prebill.pk}/queries", {"question": "Which research?"}).json()["id"]
    line_id = api.get(f"/prebills/{prebill.pk}").json()["lines"][0]["id"]

    assert attorney_api.post(f"/prebills/{prebill.pk}/lines/{line_id}/write", {"amount": "-1"}).status_code == 403
    answered = attorney_api.post(f"/prebills/{prebill.pk}/queries/{query_id}/answer", {"answer": "Damages"})
    assert (answered.status_code, answered.json()["answered_by"]) == (200, "rob@arnsley.example")


def test_another_attorney_cannot_answer(api, firm, matter, partner, associate):
    other_api, _ = api_as(firm, "attorney", "sam@arnsley.example")
    prebill = acme_prebill(firm, matter, partner, associate)
    query_id = api.post(f"/prebills/{prebill.pk}/queries", {"question": "Which research?"}).json()["id"]

    # Another attorney does not see the pre-bill (as in the web): 404, never a hint.
    assert other_api.post(f"/prebills/{prebill.pk}/queries/{query_id}/answer", {"answer": "x"}).status_code == 404
    assert api.get(f"/prebills/{prebill.pk}").json()["open_queries"][0]["answer"] == ""
