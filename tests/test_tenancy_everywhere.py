"""Invariant 9, across the whole site: a user of firm A reaches nothing of firm B.

Every URL the project serves (web pages and API) is visited as firm A's admin with each of firm B's
object ids in its parameters, by GET and by POST (PATCH/DELETE for the API). The answer must be 404 (or
405 where the method is not served), never firm B's data; firm B's rows and audit trail must be unchanged
afterwards. Lists and searches must never show firm B's marker text. New URLs are covered automatically.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from lexbill.billing.models import Invoice, TaxRate
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.settings import tax_rate_create
from lexbill.clients.models import Client, ClientContact, Matter
from lexbill.clients.services import contact_add
from lexbill.core.audit import audit_verify
from lexbill.core.models import AuditEvent, Membership
from lexbill.core.services import api_token_create
from lexbill.core.tenancy import firm_scope
from lexbill.ebilling.models import Submission
from lexbill.ebilling.services import submission_create
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import Expense, TimeEntry, Timer
from lexbill.timekeeping.services import expense_create, time_entry_create, timer_start

MARKER = "Zyxwv"  # appears in every name and narrative of firm B
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
FIRM_MODELS = [Client, ClientContact, Matter, Timekeeper, Rate, TimeEntry, Expense, Timer, TaxRate, Invoice,
               Submission]


def all_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def firm_b(db):
    with scopes_disabled():
        firm = factories.make_firm(f"{MARKER} LLP", slug="firm-b")
    with firm_scope(firm):
        user = factories.make_user(firm, email="b-admin@b.example", role="admin")
        tk = factories.make_timekeeper(firm, initials="ZB", first_name=MARKER, last_name=MARKER, user=user)
        client = factories.make_client(firm, code="ZB1", name=f"{MARKER} Holdings")
        contact_add(client=client, actor=None, name=f"{MARKER} Contact", email="z@b.example")
        matter = factories.make_matter(firm, client=client, billing_attorney=tk, number="ZB-001",
                                       name=f"{MARKER} matter")
        rate_create(firm=firm, actor=None, timekeeper=tk, matter=matter, effective_on=date(2026, 1, 1),
                    rate_minor=77700)
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=tk, worked_on=date(2026, 3, 2),
                          duration=Duration(hours=Decimal("1.5")), narrative=f"{MARKER} research",
                          today=date(2026, 3, 3))
        expense_create(firm=firm, actor=None, matter=matter, incurred_on=date(2026, 3, 2),
                       description=f"{MARKER} courier", unit_cost_minor=4500, today=date(2026, 3, 3))
        timer_start(firm=firm, user=user, timekeeper=tk, matter=matter, narrative=f"{MARKER} call")
        tax_rate_create(firm=firm, actor=None, name=f"{MARKER} VAT", rate_ppm=200_000, client=client)
        # An issued invoice sent to a portal: its id and the submission's reach invoice and e-billing routes.
        set_firm_settings(firm, ledes_law_firm_id="ZB-LAW")
        invoice = invoice_issue(prebill=make_prebill(firm, matter, status="approved", work=[
            (tk, date(2026, 3, 4), "1.0", f"{MARKER} memo")]), actor=None, issued_on=date(2026, 4, 2))
        submission_create(invoice=invoice, actor=None, portal=f"{MARKER} portal")
    return firm


@pytest.fixture
def firm_a(firm_b):
    with scopes_disabled():
        firm = factories.make_firm("Alpha LLP", slug="firm-a")
    with firm_scope(firm):
        # Firm A holds no records of its own, so that every id of firm B is foreign to it: a page that
        # answered for such an id could only be showing firm B's row.
        admin = factories.make_user(firm, email="a-admin@a.example", role="admin")
        _, token = api_token_create(firm=firm, user=admin)
    return firm, admin, token


def state_of(firm) -> dict[str, object]:
    with scopes_disabled():
        rows = {m.__name__: sorted(m.objects.filter(firm=firm).values_list("pk", flat=True)) for m in FIRM_MODELS}
        rows["audit"] = AuditEvent.objects.filter(firm=firm).count()
        rows["entries"] = list(TimeEntry.objects.filter(firm=firm).values_list("hours_worked", "narrative",
                                                                               "charge_type"))
    return rows


USER_ROUTES = ("api/v1/users/", "users/")


def foreign_ids(firm_a, firm_b) -> list[int]:
    """Firm B's ids that are no id of firm A in any table (so a hit could only be a leak)."""
    with scopes_disabled():
        b_ids = {pk for m in FIRM_MODELS for pk in m.objects.filter(firm=firm_b).values_list("pk", flat=True)}
        a_ids = {pk for m in FIRM_MODELS for pk in m.objects.filter(firm=firm_a).values_list("pk", flat=True)}
        # users are no firm's rows, but /users/{id} names one by its id: firm B's members are tried too
        b_ids |= set(Membership.objects.filter(firm=firm_b).values_list("user_id", flat=True))
    return sorted(b_ids - a_ids)


def test_no_url_reaches_another_firms_rows(firm_a, firm_b):
    firm, admin, token = firm_a
    before = state_of(firm_b)
    ids = foreign_ids(firm, firm_b)
    with scopes_disabled():
        own_members = set(Membership.objects.filter(firm=firm).values_list("user_id", flat=True))
    # every row of firm B, whatever its table, has its id among those tried
    assert all(set(pks) <= set(ids) for name, pks in before.items() if name in {m.__name__ for m in FIRM_MODELS})
    web = HttpClient()
    web.force_login(admin)
    api_headers = {"Authorization": f"Bearer {token}"}
    visited = 0
    for route in all_routes():
        params = PARAM.findall(route)
        if not params:
            continue
        is_api = route.startswith("api/")
        for pk in ids:
            if route.startswith(USER_ROUTES) and pk in own_members:
                continue  # firm A's own member: not another firm's row, whatever the number
            url = "/" + PARAM.sub(str(pk), route)
            attempts = [("get", {}), ("post", {})]
            if is_api:
                attempts += [("patch", {}), ("delete", {})]
            for method, data in attempts:
                if is_api:
                    kwargs = {"headers": api_headers}
                    if method in ("post", "patch"):
                        kwargs |= {"data": "{}", "content_type": "application/json"}
                    response = getattr(HttpClient(), method)(url, **kwargs)
                else:
                    response = getattr(web, method)(url, data) if method == "post" else web.get(url)
                visited += 1
                assert response.status_code in (404, 405), f"{method.upper()} {url} -> {response.status_code}"
                assert MARKER.encode() not in response.content, f"{method.upper()} {url} shows firm B"
    assert visited >= 50  # both web pages and API operations were tried
    assert state_of(firm_b) == before
    assert audit_verify(firm=firm_b) == []


def test_no_list_or_search_shows_another_firms_rows(firm_a, firm_b):
    _firm, admin, token = firm_a
    web = HttpClient()
    web.force_login(admin)
    checked = 0
    for route in all_routes():
        if PARAM.search(route) or route in ("logout/",):
            continue
        url = "/" + route
        # Search for a prefix of the marker: the page may echo the query, never the whole marker.
        prefix = MARKER[:3]
        for query in ("", f"?q={prefix}", f"?search={prefix}", "?matter=ZB-001&timekeeper=ZB&client=ZB1"):
            if route.startswith("api/"):
                response = HttpClient().get(url + query, headers={"Authorization": f"Bearer {token}"})
            else:
                response = web.get(url + query)
            checked += 1
            assert response.status_code < 500, f"GET {url}{query} -> {response.status_code}"
            assert MARKER.encode() not in response.content, f"GET {url}{query} shows firm B"
    assert checked > 40
