"""API test fixtures: a real token for the firm's admin and a JSON client that sends it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from lexbill.core.services import api_token_create
from lexbill.core.tenancy import firm_scope
from lexbill.rates.services import rate_create
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import expense_create, time_entry_create

BASE = "/api/v1"
TODAY = date(2026, 3, 2)


@dataclass
class Api:
    """Django's test client speaking JSON with a bearer token."""

    client: Client
    token: str | None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(BASE + path, json.dumps(body), content_type="application/json",
                                headers=self._headers())

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(BASE + path, json.dumps(body), content_type="application/json",
                                 headers=self._headers())

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(BASE + path, json.dumps(body), content_type="application/json",
                               headers=self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path, headers=self._headers())


def token_for(firm, user) -> str:  # type: ignore[no-untyped-def]
    return api_token_create(firm=firm, user=user, name="test")[1]


@pytest.fixture
def api(firm, admin_user) -> Api:  # type: ignore[no-untyped-def]
    return Api(Client(), token_for(firm, admin_user))


@pytest.fixture
def anonymous_api(db) -> Api:  # type: ignore[no-untyped-def]
    return Api(Client(), None)


@pytest.fixture
def foreign(other_firm):  # type: ignore[no-untyped-def]
    """One of every record in another firm, to prove none of it is reachable."""
    with firm_scope(other_firm):
        timekeeper = factories.make_timekeeper(other_firm, initials="ZZ", classification="PT")
        client = factories.make_client(other_firm, code="FOREIGN", name="Foreign Client")
        matter = factories.make_matter(other_firm, client=client, billing_attorney=timekeeper, number="F-001")
        entry = time_entry_create(firm=other_firm, actor=None, matter=matter, timekeeper=timekeeper,
                                  worked_on=date(2026, 2, 2), duration=Duration(hours=Decimal("1.0")),
                                  narrative="Foreign work", today=TODAY)
        expense = expense_create(firm=other_firm, actor=None, matter=matter, incurred_on=date(2026, 2, 2),
                                 description="Foreign courier", unit_cost_minor=1000, today=TODAY)
        rate = rate_create(firm=other_firm, actor=None, timekeeper=timekeeper, matter=matter,
                           effective_on=date(2026, 1, 1), rate_minor=40000, currency="USD")
    return {"timekeeper": timekeeper, "client": client, "matter": matter, "time-entries": entry,
            "expenses": expense, "rate": rate}
