"""Invariant 8 under concurrency (PostgreSQL): 50 simultaneous credit-note requests with one idempotency
key, each on its own connection, released together by a barrier, make exactly one credit note."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client as HttpClient

from lexbill.billing.models import Invoice, NumberSeries
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.models import AuditEvent, IdempotencyKey
from lexbill.core.tenancy import firm_scope
from lexbill.testing.billing import make_prebill

from .conftest import BASE, token_for

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="POSTGRES ONLY: concurrent writers need row locks (SQLite serializes the file)"),
]

CLIENTS = 50


def _race(token: str, path: str, bodies: list[dict[str, str]], key: str) -> list[tuple[int, dict[str, object]]]:
    """One request per body, each in its own thread (so its own database connection), released together."""
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict[str, object]] | BaseException | None] = [None] * len(bodies)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}

    def work(i: int, body: dict[str, str]) -> None:
        try:
            client = HttpClient()
            barrier.wait(timeout=30)
            response = client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)
            answers[i] = (response.status_code, response.json())
        except BaseException as exc:
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, body)) for i, body in enumerate(bodies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(a, tuple) for a in answers), answers
    return answers  # type: ignore[return-value]


@pytest.fixture
def issued(firm, matter, partner, admin_user):  # type: ignore[no-untyped-def]
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "2", "Hearing")], status="approved")
    invoice = invoice_issue(prebill=prebill, actor=admin_user, issued_on=date(2026, 4, 2))
    return invoice, token_for(firm, admin_user)


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_credit_notes_with_one_key_make_one(firm, issued):
    invoice, token = issued
    body = {"amount": "150.00", "reason": "Goodwill", "issued_on": "2026-04-03"}

    answers = _race(token, f"/invoices/{invoice.pk}/credit-notes", [body] * CLIENTS, "credit-goodwill-1")

    assert {status for status, _ in answers} == {201}
    assert len({json.dumps(payload, sort_keys=True) for _, payload in answers}) == 1  # one answer for all
    with firm_scope(firm):
        assert list(Invoice.objects.filter(kind="credit_note").values_list("number", "total_minor")) == [
            ("CN2026-00001", -15000)]
        assert NumberSeries.objects.get(name="credit_note").next_seq == 2
        assert AuditEvent.objects.filter(action="credit_note.issue").count() == 1
    assert list(IdempotencyKey.objects.values_list("key", "status_code")) == [("credit-goodwill-1", 201)]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_with_one_key_and_different_bodies_have_one_effect(firm, issued):
    invoice, token = issued
    bodies = [{"amount": f"{10 + i}.00", "reason": "Goodwill", "issued_on": "2026-04-03"} for i in range(10)]

    answers = _race(token, f"/invoices/{invoice.pk}/credit-notes", bodies, "credit-goodwill-2")

    assert sorted(status for status, _ in answers) == [201] + [422] * 9
    assert {p["code"] for s, p in answers if s == 422} == {"idempotency_key_reused"}
    with firm_scope(firm):
        notes = list(Invoice.objects.filter(kind="credit_note").values_list("total_minor", flat=True))
    winner = next(p for s, p in answers if s == 201)
    assert len(notes) == 1
    assert f"{-notes[0] // 100}.00" == winner["subtotal"].lstrip("-")  # type: ignore[union-attr]
