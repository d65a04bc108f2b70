"""Timekeeper pages: rates typed in major units, unique initials, rates and recent time on the detail page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.core.models import AuditEvent
from lexbill.rates.services import rate_create
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories

from .records_support import audit_count, count_queries, record_time

GOOD = {"initials": "mk", "first_name": "Mary", "last_name": "King", "title": "Senior associate",
        "classification": "AS", "standard_rate": "350.00", "is_active": "on"}


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def test_creating_a_timekeeper_stores_the_rate_in_minor_units(admin, firm):
    response = admin.post(reverse("timekeeper_create"), GOOD)

    created = Timekeeper.objects.get(initials="MK")
    assert response["Location"] == reverse("timekeeper_detail", args=[created.pk])
    assert (created.first_name, created.last_name, created.classification) == ("Mary", "King", "AS")
    assert created.standard_rate_minor == 35000
    assert created.is_active is True
    assert AuditEvent.objects.get(entity="timekeeper", entity_id=str(created.pk)).action == "timekeeper.create"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"initials": ""}, "initials", "This field is required."),
    ({"initials": "ABCDEFGHIJK"}, "initials", "Ensure this value has at most 10 characters (it has 11)."),
    ({"initials": "ra"}, "initials", "Initials RA are already taken."),
    ({"standard_rate": ""}, "standard_rate", "This field is required."),
    ({"standard_rate": "350,00"}, "standard_rate", "not an amount: '350,00' (write USD amounts like 1234.50: digits and a point, no separators)"),
    ({"standard_rate": "-1"}, "standard_rate", "-1 is negative: the amount must be zero or more"),
    ({"standard_rate": "350.005"}, "standard_rate", "USD amounts have at most 2 decimals."),
    ({"classification": "XX"}, "classification", "Select a valid choice. XX is not one of the available choices."),
])
def test_bad_input_is_refused_and_kept(admin, partner, changes, field, message):
    before_count, before_events = Timekeeper.objects.count(), audit_count()
    data = {**GOOD, **changes}

    response = admin.post(reverse("timekeeper_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"][field].value() == data[field]
    assert Timekeeper.objects.count() == before_count
    assert audit_count() == before_events


def test_editing_a_rate_records_it_in_the_history(admin, associate):
    url = reverse("timekeeper_edit", args=[associate.pk])
    assert 'value="300.00"' in admin.get(url).content.decode()

    response = admin.post(url, {**GOOD, "initials": "JD", "first_name": "Jane", "last_name": "Doe", "title": "",
                                "standard_rate": "325.50"})

    assert response.status_code == 302
    associate.refresh_from_db()
    assert associate.standard_rate_minor == 32550
    page = admin.get(reverse("timekeeper_detail", args=[associate.pk])).content.decode()
    assert "30000 → 32550" in page and "325.50 USD / h" in page


def test_deactivating_a_timekeeper(admin, associate):
    data = {**GOOD, "initials": "JD", "first_name": "Jane", "last_name": "Doe", "standard_rate": "300.00"}
    del data["is_active"]

    admin.post(reverse("timekeeper_edit", args=[associate.pk]), data)

    associate.refresh_from_db()
    assert associate.is_active is False
    active = admin.get(reverse("timekeeper_list"))
    inactive = admin.get(reverse("timekeeper_list"), {"active": "no"})
    assert "JD" not in [t.initials for t in active.context["page"]]
    assert [t.initials for t in inactive.context["page"]] == ["JD"]


def test_the_timekeeper_page_shows_rates_and_recent_time(admin, firm, matter, associate, client_acme):
    rate_create(firm=firm, actor=None, timekeeper=associate, client=client_acme, effective_on=date(2026, 1, 1),
                rate_minor=31000)
    for day in range(1, 23):
        record_time(firm, matter, associate, date(2026, 4, day), "0.2")

    queries, response = count_queries(admin, reverse("timekeeper_detail", args=[associate.pk]))

    assert len(response.context["recent_time"]) == 20
    assert [r.rate_minor for r in response.context["rates"]] == [31000]
    body = response.content.decode()
    assert "Client ACME" in body and "310.00 USD" in body and "ACME-001" in body
    other = factories.make_matter(firm, client=client_acme, billing_attorney=associate)
    record_time(firm, other, associate, date(2026, 4, 30), "1.0")
    assert count_queries(admin, reverse("timekeeper_detail", args=[associate.pk]))[0] == queries


def test_the_timekeeper_list_searches_filters_and_pages_in_constant_queries(admin, firm, partner, associate):
    few, _ = count_queries(admin, reverse("timekeeper_list"))
    for n in range(60):
        factories.make_timekeeper(firm, initials=f"Z{n:02d}", first_name="Zed", last_name=f"Zz{n:02d}",
                                  classification="LA")

    many, first = count_queries(admin, reverse("timekeeper_list"))
    searched = admin.get(reverse("timekeeper_list"), {"q": "doe"})
    partners = admin.get(reverse("timekeeper_list"), {"classification": "PT"})
    second = admin.get(reverse("timekeeper_list"), {"page": "2", "classification": "LA"})

    assert many == few
    assert len(first.context["page"]) == 50
    assert [t.initials for t in searched.context["page"]] == ["JD"]
    assert [t.initials for t in partners.context["page"]] == ["RA"]
    assert [t.initials for t in second.context["page"]] == [f"Z{n:02d}" for n in range(50, 60)]
    assert "500.00" in first.content.decode()
