"""A top-level service is its own durable transaction; services an enclosing service calls join it;
side effects wait for the commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from lexbill.clients.models import Client
from lexbill.clients.services import client_create
from lexbill.core.models import AuditEvent
from lexbill.core.transactions import after_commit, in_service_transaction, service_transaction


def _counts() -> tuple[int, int]:
    return Client.objects.count(), AuditEvent.objects.count()


def test_a_service_wrapped_in_a_bare_transaction_fails_and_writes_nothing(firm):
    before = _counts()

    # transaction.atomic() around the service: what the API middleware did to every request.
    with pytest.raises(RuntimeError, match="durable atomic block cannot be nested"), transaction.atomic():
        client_create(firm=firm, actor=None, code="ACME", name="Acme Corp")

    assert _counts() == before


def test_services_called_by_a_service_join_its_transaction_and_roll_back_with_it(firm):
    before = _counts()

    with pytest.raises(ZeroDivisionError), service_transaction():
        client_create(firm=firm, actor=None, code="ACME", name="Acme Corp")
        client_create(firm=firm, actor=None, code="BETA", name="Beta LLC")
        assert in_service_transaction()
        1 / 0  # noqa: B018 - anything failing later in the enclosing service

    assert _counts() == before


def test_a_service_on_its_own_commits_its_row_and_its_audit_event_together(firm):
    before = _counts()

    client_create(firm=firm, actor=None, code="ACME", name="Acme Corp")

    assert _counts() == (before[0] + 1, before[1] + 1)
    assert not in_service_transaction()


def test_a_side_effect_runs_only_when_the_service_commits(firm, django_capture_on_commit_callbacks):
    ran: list[str] = []

    with django_capture_on_commit_callbacks(execute=True), service_transaction():
        after_commit(lambda: ran.append("committed"))
        assert ran == []  # not while the transaction is open
    with django_capture_on_commit_callbacks(execute=True) as hooks, pytest.raises(ValueError), \
            service_transaction():
        after_commit(lambda: ran.append("rolled back"))
        raise ValueError("refused")

    assert ran == ["committed"]
    assert hooks == []
