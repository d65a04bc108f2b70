"""Type-ahead pickers: the time pages list no matters, and the JSON searches answer only what the actor may see
(issue #9 "Pickers that scale": the grid of a 10,000-matter firm was 1.14 MB with 11,183 <option>s)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django_scopes import scopes_disabled

from lexbill.clients.models import Matter
from lexbill.clients.services import matter_update
from lexbill.testing import factories
from lexbill.timekeeping.models import Timer

MANY = 400


@pytest.fixture
def clerk(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


@pytest.fixture
def many_matters(firm, client_acme, partner):
    Matter.objects.bulk_create([
        Matter(firm=firm, client=client_acme, number=f"BULK-{n:04d}", name=f"Bulk matter {n}",
               billing_attorney=partner, opened_on=date(2026, 1, 1)) for n in range(MANY)])


@pytest.mark.parametrize("url", ["/time/", "/time/new/", "/time/timers/", "/expenses/new/"])
def test_the_time_pages_list_no_matters_however_many_there_are(clerk, many_matters, matter, url):
    response = clerk.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "BULK-" not in html
    assert len(re.findall(r"<option", html)) < 40  # charge types, statuses, timekeepers; never the matters
    assert len(html) < 40_000
    assert 'data-picker-url="/pickers/matters/"' in html


def test_the_matter_search_finds_by_number_name_or_client_numbers_first(clerk, firm, client_acme, partner, matter):
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ZED-001", name="Acme lease")

    found = clerk.get("/pickers/matters/?q=acme").json()["results"]

    assert found == [
        {"value": "ACME-001", "label": "ACME-001 · Acme v. Widget Co.", "detail": "Acme Corp"},
        {"value": "ZED-001", "label": "ZED-001 · Acme lease", "detail": "Acme Corp"},
    ]


def test_the_matter_search_answers_at_most_20_and_only_open_matters_unless_asked(clerk, many_matters, firm):
    closed = factories.make_matter(firm, number="BULK-OLD", name="Closed one")
    matter_update(matter=closed, actor=None, status="closed", closed_on=date(2026, 2, 1))

    some = clerk.get("/pickers/matters/?q=bulk").json()["results"]
    open_only = clerk.get("/pickers/matters/?q=bulk-old").json()["results"]
    with_closed = clerk.get("/pickers/matters/?q=bulk-old&all=1").json()["results"]

    assert [m["value"] for m in some] == [f"BULK-{n:04d}" for n in range(20)]
    assert open_only == []
    assert [m["value"] for m in with_closed] == ["BULK-OLD"]


def test_the_matter_search_never_shows_another_firms_matters(clerk, other_firm, matter):
    with scopes_disabled():
        factories.make_matter(other_firm, number="ACME-999", name="Acme elsewhere")

    found = clerk.get("/pickers/matters/?q=acme").json()["results"]

    assert [m["value"] for m in found] == ["ACME-001"]


def test_a_client_user_gets_404_from_the_searches(client, firm, matter):
    client.force_login(factories.make_user(firm, email="gc@acme.example", role="client"))

    assert client.get("/pickers/matters/?q=acme").status_code == 404
    assert client.get("/pickers/codes/?q=L1").status_code == 404


def test_the_code_search_offers_the_sets_the_matter_requires_with_descriptions(clerk, client_acme, matter):
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()

    tasks = clerk.get("/pickers/codes/?field=task_code&matter=acme-001&q=L11").json()["results"]
    by_name = clerk.get("/pickers/codes/?field=activity_code&matter=ACME-001&q=draft").json()["results"]
    unknown_field = clerk.get("/pickers/codes/?field=narrative")

    assert [c["value"] for c in tasks] == ["L110"]
    assert tasks[0]["label"] == "L110 · Fact Investigation/Development"
    assert [c["value"] for c in by_name] == ["A103"]
    assert unknown_field.status_code == 400


def test_the_code_search_without_a_matter_offers_every_set_of_the_field(clerk, matter):
    found = clerk.get("/pickers/codes/?field=task_code&q=110").json()["results"]

    assert [c["value"] for c in found] == ["L110", "B110"]  # not A110 (activity) nor E110 (expense)


def test_a_timer_starts_from_a_typed_matter_number_with_codes(client, firm, matter, associate):
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney")
    with scopes_disabled():
        type(associate).objects.filter(pk=associate.pk).update(user=user)
    client.force_login(user)

    response = client.post("/time/timers/start/", {"matter": "acme-001", "timekeeper": associate.pk,
                                                   "task_code": "l120", "activity_code": "A106", "next": "/time/"})

    assert response.status_code == 302
    timer = Timer.objects.get()
    assert (timer.matter_id, timer.task_code, timer.activity_code) == (matter.pk, "L120", "A106")


def test_a_refused_timer_code_is_shown_at_its_field_and_nothing_starts(client, firm, client_acme, matter, associate):
    client_acme.utbms_code_sets = ["bankruptcy"]
    client_acme.save()
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney")
    with scopes_disabled():
        type(associate).objects.filter(pk=associate.pk).update(user=user)
    client.force_login(user)

    response = client.post("/time/timers/start/", {"matter": "ACME-001", "timekeeper": associate.pk,
                                                   "narrative": "Call", "task_code": "L120"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "L120 is a litigation code; this matter requires bankruptcy" in html
    assert 'value="L120"' in html and 'value="ACME-001"' in html
    assert not Timer.objects.exists()
