"""Helpers for the record page tests: users by role, another firm's rows, counting queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from lexbill.clients.models import Client, Matter
from lexbill.core.models import AuditEvent, Firm
from lexbill.core.tenancy import firm_scope
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create


def login_as(http: HttpClient, firm: Firm, role: str) -> Any:
    user = factories.make_user(firm, email=f"{role}@{firm.slug}.example", role=role)
    http.force_login(user)
    return user


@dataclass
class OtherFirmRows:
    client: Client
    matter: Matter
    timekeeper: Timekeeper
    rate: Rate


def other_firm_rows(other_firm: Firm) -> OtherFirmRows:
    with firm_scope(other_firm):
        timekeeper = factories.make_timekeeper(other_firm, initials="OX", classification="PT")
        client = factories.make_client(other_firm, code="OTHER", name="Other Client")
        matter = factories.make_matter(other_firm, client=client, billing_attorney=timekeeper, number="OTHER-1")
        rate = rate_create(firm=other_firm, actor=None, timekeeper=timekeeper, matter=matter,
                           effective_on=date(2026, 1, 1), rate_minor=12300)
    return OtherFirmRows(client=client, matter=matter, timekeeper=timekeeper, rate=rate)


def record_time(firm: Firm, matter: Matter, timekeeper: Timekeeper, worked_on: date, hours: str,
                narrative: str = "Drafted motion") -> Any:
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=worked_on,
                             duration=Duration(hours=Decimal(hours)), narrative=narrative, today=worked_on)


def audit_count() -> int:
    with scopes_disabled():
        return AuditEvent.objects.count()


def count_queries(http: HttpClient, url: str) -> tuple[int, Any]:
    """Queries of one GET; a first GET before it saves the session's active firm, which is not the page's cost."""
    http.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response
