"""Idempotency-Key on the API (invariant 8): a retry gets the first answer and has no second effect; the
same key with another request is 422 and writes nothing; refusals store no key; keys expire."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lexbill.billing.models import BillRun, Invoice, NumberSeries
from lexbill.core.idempotency import RETENTION, idempotency_purge
from lexbill.core.models import AuditEvent, IdempotencyKey

from .billing_api_helpers import acme_prebill, api_as
from .conftest import BASE

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _post(api, path, body, key):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {api.token}", "Idempotency-Key": key}
    return api.client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


def _state():  # type: ignore[no-untyped-def]
    return (sorted(Invoice.objects.values_list("number", "kind", "total_minor")),
            sorted(NumberSeries.objects.values_list("name", "next_seq")), AuditEvent.objects.count(),
            sorted(IdempotencyKey.objects.values_list("key", "status_code")))


@pytest.fixture
def approved(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    return acme_prebill(firm, matter, partner, associate, status="approved")


@pytest.fixture
def invoice(api, approved):  # type: ignore[no-untyped-def]
    return Invoice.objects.get(pk=api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"})
                               .json()["id"])


def test_a_retried_issue_answers_the_first_result_and_issues_once(api, approved):
    body = {"prebill": approved.pk, "issued_on": "2026-04-02"}

    first = _post(api, "/invoices/", body, "issue-7f3a")
    after_first = _state()
    retry = _post(api, "/invoices/", body, "issue-7f3a")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert first.json()["number"] == "2026-00001"
    assert _state() == after_first
    assert after_first[0] == [("2026-00001", "invoice", 70000)]
    assert after_first[3] == [("issue-7f3a", 201)]


def test_a_retried_credit_note_makes_one_credit_note(api, invoice):
    body = {"amount": "100.00", "reason": "Goodwill", "issued_on": "2026-04-03"}

    answers = [_post(api, f"/invoices/{invoice.pk}/credit-notes", body, "credit-1") for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[1].json() == answers[0].json() == answers[2].json()
    assert list(Invoice.objects.filter(kind="credit_note").values_list("number", "total_minor")) == [
        ("CN2026-00001", -10000)]


def test_the_same_key_with_another_body_is_422_and_writes_nothing(api, invoice):
    _post(api, f"/invoices/{invoice.pk}/credit-notes", {"amount": "100.00", "reason": "Goodwill"}, "credit-1")
    before = _state()

    response = _post(api, f"/invoices/{invoice.pk}/credit-notes", {"amount": "200.00", "reason": "Goodwill"},
                     "credit-1")

    assert response.status_code == 422
    assert response.json() == {
        "detail": f"idempotency key 'credit-1' was already used for a different request "
                  f"(POST /api/v1/invoices/{invoice.pk}/credit-notes); use a new key for a new request",
        "code": "idempotency_key_reused", "field": "Idempotency-Key"}
    assert _state() == before


def test_the_same_key_on_another_route_or_by_another_user_is_422(api, firm, invoice, approved):
    _post(api, f"/invoices/{invoice.pk}/credit-notes", {"amount": "100.00", "reason": "Goodwill"}, "k-1")
    clerk, _ = api_as(firm, "billing")
    before = _state()

    other_user = _post(clerk, f"/invoices/{invoice.pk}/credit-notes", {"amount": "100.00", "reason": "Goodwill"},
                       "k-1")
    other_route = _post(api, f"/invoices/{invoice.pk}/credit-notes?x=1",
                        {"amount": "100.00", "reason": "Goodwill"}, "k-1")

    assert [(r.status_code, r.json()["code"]) for r in (other_user, other_route)] == [
        (422, "idempotency_key_reused"), (422, "idempotency_key_reused")]
    assert _state() == before


def test_json_bodies_are_compared_by_content(api, invoice):
    path = f"/invoices/{invoice.pk}/credit-notes"
    headers = {"Authorization": f"Bearer {api.token}", "Idempotency-Key": "k-2"}

    first = api.client.post(BASE + path, '{"amount": "100.00", "reason": "Goodwill"}',
                            content_type="application/json", headers=headers)
    reordered = api.client.post(BASE + path, '{"reason":"Goodwill","amount":"100.00"}',
                                content_type="application/json", headers=headers)

    assert (first.status_code, reordered.status_code) == (201, 201)
    assert reordered.json() == first.json()
    assert Invoice.objects.filter(kind="credit_note").count() == 1


def test_a_refused_request_stores_no_key_so_a_retry_is_judged_afresh(api, firm, matter, partner, associate):
    draft = acme_prebill(firm, matter, partner, associate, status="draft")
    before = _state()

    refused = _post(api, "/invoices/", {"prebill": draft.pk, "issued_on": "2026-04-02"}, "issue-1")
    assert (refused.status_code, _state()) == (409, before)

    draft.status = "approved"
    draft.save(update_fields=["status"])
    retry = _post(api, "/invoices/", {"prebill": draft.pk, "issued_on": "2026-04-02"}, "issue-1")
    assert (retry.status_code, retry.json()["number"]) == (201, "2026-00001")


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_422_and_writes_nothing(api, approved, key):
    before = _state()

    response = _post(api, "/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}, key)

    assert response.status_code == 422
    assert _state() == before


def test_a_retried_bill_run_starts_one_run_and_queues_one_task(api, firm, matter, settings,
                                                               django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS

    with django_capture_on_commit_callbacks(execute=True):
        first = _post(api, "/bill-runs/", {"through": "2026-03-31"}, "run-march")
        retry = _post(api, "/bill-runs/", {"through": "2026-03-31"}, "run-march")

    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.json() == first.json()
    assert list(BillRun.objects.values_list("pk", flat=True)) == [first.json()["id"]]
    assert DBTaskResult.objects.count() == 1


def test_expired_keys_are_purged_and_may_be_used_again(api, invoice):
    path, body = f"/invoices/{invoice.pk}/credit-notes", {"amount": "100.00", "reason": "Goodwill"}
    _post(api, path, body, "credit-1")
    later = timezone.now() + RETENTION + timedelta(seconds=1)

    assert idempotency_purge(now=timezone.now()) == 0
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = _post(api, path, body, "credit-1")  # an expired key starts afresh: a second credit note

    assert again.status_code == 201
    assert Invoice.objects.filter(kind="credit_note").count() == 2
    assert idempotency_purge(now=later) == 1
    assert not IdempotencyKey.objects.exists()


def test_without_a_key_nothing_is_stored(api, approved):
    assert api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).status_code == 201
    assert not IdempotencyKey.objects.exists()


def test_the_header_is_declared_in_the_openapi_document(db):
    paths = HttpClient().get("/api/v1/openapi.json").json()["paths"]

    def takes_key(path: str) -> bool:
        return any(p["in"] == "header" and p["name"] == "Idempotency-Key"
                   for p in paths[path]["post"].get("parameters", []))

    assert all(takes_key(p) for p in ("/api/v1/invoices/", "/api/v1/invoices/{invoice_id}/credit-notes",
                                      "/api/v1/bill-runs/", "/api/v1/submissions",
                                      "/api/v1/submissions/{submission_id}/status",
                                      "/api/v1/prebills/{prebill_id}/write",
                                      "/api/v1/prebills/{prebill_id}/lines/{line_id}/write"))
    assert not takes_key("/api/v1/clients/")
