"""The API runs requests in autocommit: reads take no transaction (no lock, no SQLite BEGIN IMMEDIATE),
each write is its service's own transaction, and the token's last use is written at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from lexbill.api import clients as clients_api
from lexbill.core.models import ApiToken
from lexbill.testing import factories

from .conftest import Api, token_for


def _token_writes(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].startswith("UPDATE") and "core_apitoken" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_read_runs_in_autocommit(monkeypatch):
    """Real commits here (no test transaction around the request), so what the request opens is its own."""
    firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    api = Api(HttpClient(), token_for(firm, factories.make_user(firm, role="billing")))
    seen: list[bool] = []
    original = clients_api.client_list

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(transaction.get_connection().in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(clients_api, "client_list", spy)
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/clients/")

    assert response.status_code == 200
    assert seen == [False]
    assert [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("BEGIN", "SAVEPOINT"))] == []


@pytest.mark.django_db(transaction=True)
def test_a_write_through_the_api_is_its_services_durable_transaction():
    """With the old request-wide transaction, the service's durable block would refuse to nest (500)."""
    firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    api = Api(HttpClient(), token_for(firm, factories.make_user(firm, role="billing")))

    response = api.post("/clients/", {"code": "ACME", "name": "Acme Corp"})

    assert response.status_code == 201
    assert not connection.in_atomic_block


def test_the_token_stamp_is_written_at_most_once_a_minute(firm, admin_user):
    api = Api(HttpClient(), token_for(firm, admin_user))

    with CaptureQueriesContext(connection) as first:
        api.get("/clients/")
    with scopes_disabled():
        stamped = ApiToken.objects.get().last_used_at
    with CaptureQueriesContext(connection) as second:
        api.get("/clients/")
    with scopes_disabled():
        assert ApiToken.objects.get().last_used_at == stamped
        ApiToken.objects.update(last_used_at=stamped - timedelta(seconds=61))  # a minute later
    with CaptureQueriesContext(connection) as later:
        api.get("/clients/")

    assert stamped is not None
    assert (len(_token_writes(first)), len(_token_writes(second)), len(_token_writes(later))) == (1, 0, 1)
    with scopes_disabled():
        assert ApiToken.objects.get().last_used_at > stamped  # type: ignore[operator]
