"""Matter pages: money, percentages and increments typed as people write them, stored exactly."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.clients.models import Matter
from lexbill.core.models import AuditEvent
from lexbill.rates.services import rate_create
from lexbill.testing import factories

from .records_support import audit_count, count_queries, other_firm_rows, record_time


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


@pytest.fixture
def good(client_acme, partner, associate):  # type: ignore[no-untyped-def]
    return {"client": str(client_acme.pk), "number": "ACME-002", "name": "Acme merger", "client_matter_id": "LGL-7",
            "billing_attorney": str(partner.pk), "responsible_attorney": str(associate.pk), "status": "open",
            "opened_on": "2026-03-02", "closed_on": "", "fee_arrangement": "flat", "fee_amount": "350.00",
            "fee_percent": "", "billing_increment": "0.1", "budget": "12500.50"}


def test_creating_a_matter_converts_money_and_hours_exactly(admin, good, client_acme, partner, associate):
    response = admin.post(reverse("matter_create"), good)

    matter = Matter.objects.get(number="ACME-002")
    assert response["Location"] == reverse("matter_detail", args=[matter.pk])
    assert matter.fee_amount_minor == 35000
    assert matter.budget_minor == 1250050
    assert matter.billing_increment_milli == 100
    assert matter.fee_percent_bp is None
    assert (matter.client, matter.billing_attorney, matter.responsible_attorney) == (client_acme, partner, associate)
    assert (matter.opened_on, matter.currency, matter.client_matter_id) == (date(2026, 3, 2), "USD", "LGL-7")
    page = admin.get(response["Location"]).content.decode()
    assert "350.00 USD" in page and "12,500.50 USD" in page and "0.1 h" in page


def test_a_contingency_percent_is_stored_in_basis_points(admin, good):
    admin.post(reverse("matter_create"), {**good, "fee_arrangement": "contingency", "fee_amount": "",
                                          "fee_percent": "33.33", "budget": ""})

    matter = Matter.objects.get(number="ACME-002")
    assert (matter.fee_percent_bp, matter.fee_amount_minor, matter.budget_minor) == (3333, None, None)
    edit = admin.get(reverse("matter_edit", args=[matter.pk])).context["form"]
    assert (edit["fee_percent"].value(), edit["billing_increment"].value()) == ("33.33", "0.1")
    assert 'value="33.33"' in str(edit["fee_percent"]) and 'value="0.1"' in str(edit["billing_increment"])


def test_a_retainers_opening_and_closing_month_rules_are_edited_and_shown(admin, good):
    response = admin.post(reverse("matter_create"), {**good, "fee_arrangement": "retainer", "fee_amount": "1000.00",
                                                     "retainer_first_month": "prorated", "retainer_last_month": "none"})

    matter = Matter.objects.get(number="ACME-002")
    assert (matter.retainer_first_month, matter.retainer_last_month) == ("prorated", "none")
    page = admin.get(response["Location"]).content.decode()
    assert "opening month: prorated by the days open · closing month: not billed" in page
    edit = admin.get(reverse("matter_edit", args=[matter.pk])).context["form"]
    assert (edit["retainer_first_month"].value(), edit["retainer_last_month"].value()) == ("prorated", "none")


def test_a_yen_matter_refuses_sen(admin, firm, good, partner):
    yen = factories.make_client(firm, code="NIPPON", currency="JPY")

    response = admin.post(reverse("matter_create"), {**good, "client": str(yen.pk), "fee_amount": "350.50"})

    assert response.context["form"].errors["fee_amount"] == ["JPY amounts have no decimals."]
    assert not Matter.objects.filter(number="ACME-002").exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"number": "", "name": ""}, "number", "This field is required."),
    ({"number": "N" * 41}, "number", "Ensure this value has at most 40 characters (it has 41)."),
    ({"number": "ACME-001"}, "number", "Matter number ACME-001 is already taken."),
    ({"fee_amount": "three hundred"}, "fee_amount", "not an amount: 'three hundred' (write USD amounts like 1234.50: digits and a point, no separators)"),
    ({"fee_amount": "-350.00"}, "fee_amount", "-350.00 is negative: the amount must be zero or more"),
    ({"budget": "1e400"}, "budget", "not an amount: '1e400' (write USD amounts like 1234.50: digits and a point, no separators)"),
    ({"budget": "10000000000000"}, "budget", "10000000000000 is too large"),
    ({"fee_percent": "100.01"}, "fee_percent", "Ensure this value is less than or equal to 100."),
    ({"fee_percent": "33.333"}, "fee_percent", "Ensure that there are no more than 2 decimal places."),
    ({"billing_increment": "0"}, "billing_increment", "Ensure this value is greater than or equal to 0.001."),
    ({"opened_on": "2026-02-30"}, "opened_on", "Enter a valid date."),
    ({"status": "closed"}, "closed_on", "A closed matter needs a closing date."),
    ({"status": "closed", "closed_on": "2026-01-01"}, "closed_on", "closed before it was opened"),
    ({"status": "archived"}, "status", "Select a valid choice. archived is not one of the available choices."),
    ({"client": "999999"}, "client", "Select a valid choice. That choice is not one of the available choices."),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_written(admin, good, matter, changes, field, message):
    before_matters, before_events = Matter.objects.count(), audit_count()
    data = {**good, **changes}

    response = admin.post(reverse("matter_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"][field].value() == data[field]
    assert Matter.objects.count() == before_matters
    assert audit_count() == before_events


def test_an_attorney_of_another_firm_is_not_a_valid_choice(admin, good, other_firm):
    other = other_firm_rows(other_firm)
    before = audit_count()

    response = admin.post(reverse("matter_create"), {**good, "billing_attorney": str(other.timekeeper.pk),
                                                     "client": str(other.client.pk)})

    errors = response.context["form"].errors
    assert errors["billing_attorney"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert errors["client"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert not Matter.objects.filter(number="ACME-002").exists()
    assert audit_count() == before


def test_closing_a_matter_records_before_and_after(admin, matter, admin_user):
    url = reverse("matter_edit", args=[matter.pk])
    form = admin.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}

    response = admin.post(url, {**data, "status": "closed", "closed_on": "2026-06-30", "budget": "999.99"})

    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.closed_on, matter.budget_minor) == ("closed", date(2026, 6, 30), 99999)
    event = AuditEvent.objects.filter(entity="matter", entity_id=str(matter.pk)).order_by("-pk").first()
    assert (event.action, event.actor_id) == ("matter.update", admin_user.pk)
    assert event.before == {"status": "open", "closed_on": None, "budget_minor": None}
    assert event.after == {"status": "closed", "closed_on": "2026-06-30", "budget_minor": 99999}


def test_the_matter_page_shows_attorneys_rates_recent_time_and_history(admin, firm, matter, partner, associate):
    rate_create(firm=firm, actor=None, timekeeper=associate, matter=matter, effective_on=date(2026, 1, 1),
                rate_minor=27550)
    for day in range(1, 26):
        record_time(firm, matter, associate, date(2026, 3, day), "0.5", narrative=f"Work on day {day}")

    queries, response = count_queries(admin, reverse("matter_detail", args=[matter.pk]))

    entries = response.context["recent_time"]
    assert len(entries) == 20
    assert entries[0].worked_on == date(2026, 3, 25) and entries[19].worked_on == date(2026, 3, 6)
    body = response.content.decode()
    assert "275.50 USD" in body and "Robert Arnsley (RA)" in body and "12.5 h" in body
    assert [row.action for row in response.context["history"]] == ["matter.create"]
    record_time(firm, matter, partner, date(2026, 3, 26), "1.0")
    assert count_queries(admin, reverse("matter_detail", args=[matter.pk]))[0] == queries


def test_the_matter_list_filters_and_pages_in_constant_queries(admin, firm, client_acme, partner, associate):
    for n in range(3):
        factories.make_matter(firm, client=client_acme, billing_attorney=partner, number=f"M-{n:03d}")
    few, _ = count_queries(admin, reverse("matter_list"))
    for n in range(3, 60):
        other_client = factories.make_client(firm)
        factories.make_matter(firm, client=other_client, billing_attorney=factories.make_timekeeper(firm),
                              number=f"M-{n:03d}")
    factories.make_matter(firm, client=client_acme, billing_attorney=associate, number="X-1",
                          fee_arrangement="flat", fee_amount_minor=100)
    factories.make_matter(firm, client=client_acme, billing_attorney=associate, number="X-2", status="closed",
                          closed_on=date(2026, 2, 1))

    many, first = count_queries(admin, reverse("matter_list"))
    second = admin.get(reverse("matter_list"), {"page": "2"})
    flat_first = admin.get(reverse("matter_list"), {"q": "M-", "arrangement": "hourly"})
    flat = admin.get(reverse("matter_list"), {"arrangement": "flat"})
    jane = admin.get(reverse("matter_list"), {"attorney": str(associate.pk), "status": "all"})
    closed = admin.get(reverse("matter_list"), {"status": "closed"})
    acme = admin.get(reverse("matter_list"), {"q": "acme corp"})

    assert many == few
    assert len(first.context["page"]) == 50
    assert [m.number for m in second.context["page"]] == [f"M-{n:03d}" for n in range(50, 60)] + ["X-1"]
    assert [m.number for m in flat.context["page"]] == ["X-1"]
    assert 'href="?q=M-&amp;arrangement=hourly&amp;page=2"' in flat_first.content.decode()
    assert [m.number for m in jane.context["page"]] == ["X-1", "X-2"]
    assert [m.number for m in closed.context["page"]] == ["X-2"]
    assert [m.number for m in acme.context["page"]] == ["M-000", "M-001", "M-002", "X-1"]
