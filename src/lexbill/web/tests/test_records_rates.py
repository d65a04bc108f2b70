"""Rate pages: who, where, from when, how much; the rate's own currency decides its minor unit."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.core.models import AuditEvent
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create
from lexbill.testing import factories

from .records_support import audit_count, count_queries, other_firm_rows


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def test_a_matter_rate_for_a_timekeeper(admin, matter, associate):
    response = admin.post(reverse("rate_create"), {"timekeeper": str(associate.pk), "matter": str(matter.pk),
                                                   "effective_on": "2026-02-01", "rate": "275.50", "note": "agreed"})

    rate = Rate.objects.get()
    assert response["Location"] == reverse("rate_detail", args=[rate.pk])
    assert (rate.timekeeper, rate.matter, rate.client, rate.classification) == (associate, matter, None, "")
    assert (rate.effective_on, rate.rate_minor, rate.currency, rate.note) == (date(2026, 2, 1), 27550, "USD",
                                                                              "agreed")
    assert AuditEvent.objects.get(entity="rate", entity_id=str(rate.pk)).action == "rate.create"


def test_a_client_rate_for_a_classification_in_the_clients_currency(admin, firm):
    yen = factories.make_client(firm, code="NIPPON", currency="JPY")

    admin.post(reverse("rate_create"), {"classification": "PT", "client": str(yen.pk), "effective_on": "2026-01-01",
                                        "rate": "45000"})

    rate = Rate.objects.get()
    assert (rate.classification, rate.client, rate.rate_minor, rate.currency) == ("PT", yen, 45000, "JPY")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"rate": "300"}, "timekeeper", "Choose a timekeeper or a classification (one of the two)."),
    ({"timekeeper": "TK", "classification": "PT", "rate": "300"}, "timekeeper",
     "Choose a timekeeper or a classification (one of the two)."),
    ({"classification": "PT", "rate": "300"}, "client", "A classification rate is for a client or a matter."),
    ({"timekeeper": "TK", "client": "CL", "matter": "MA", "rate": "300"}, "matter",
     "Choose a client or a matter, not both."),
    ({"timekeeper": "TK", "rate": ""}, "rate", "This field is required."),
    ({"timekeeper": "TK", "rate": "abc"}, "rate", "not an amount: 'abc' (write USD amounts like 1234.50: digits and a point, no separators)"),
    ({"timekeeper": "TK", "rate": "-300"}, "rate", "-300 is negative: the amount must be zero or more"),
    ({"timekeeper": "TK", "rate": "300", "effective_on": "yesterday"}, "effective_on", "Enter a valid date."),
    ({"timekeeper": "TK", "rate": "300", "note": "n" * 201}, "note",
     "Ensure this value has at most 200 characters (it has 201)."),
])
def test_bad_rates_are_refused_and_nothing_is_written(admin, matter, associate, data, field, message):
    ids = {"TK": str(associate.pk), "CL": str(matter.client.pk), "MA": str(matter.pk)}
    data = {"effective_on": "2026-01-01", **{k: ids.get(v, v) for k, v in data.items()}}
    before = audit_count()

    response = admin.post(reverse("rate_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Rate.objects.exists()
    assert audit_count() == before


def test_a_timekeeper_of_another_firm_cannot_be_rated(admin, firm, other_firm):
    other = other_firm_rows(other_firm)

    response = admin.post(reverse("rate_create"), {"timekeeper": str(other.timekeeper.pk),
                                                   "effective_on": "2026-01-01", "rate": "100"})

    assert response.context["form"].errors["timekeeper"] == [
        "Select a valid choice. That choice is not one of the available choices."]
    assert not Rate.objects.exists()


def test_editing_a_rate_changes_it_and_records_the_change(admin, firm, partner, admin_user):
    rate = rate_create(firm=firm, actor=None, timekeeper=partner, effective_on=date(2026, 1, 1), rate_minor=50000)
    url = reverse("rate_edit", args=[rate.pk])
    assert 'value="500.00"' in admin.get(url).content.decode()

    response = admin.post(url, {"timekeeper": str(partner.pk), "effective_on": "2026-07-01", "rate": "525.00"})

    assert response.status_code == 302
    rate.refresh_from_db()
    assert (rate.effective_on, rate.rate_minor) == (date(2026, 7, 1), 52500)
    event = AuditEvent.objects.filter(entity="rate", entity_id=str(rate.pk)).order_by("-seq").first()
    assert (event.action, event.actor_id) == ("rate.update", admin_user.pk)
    assert event.before == {"effective_on": "2026-01-01", "rate_minor": 50000}
    assert event.after == {"effective_on": "2026-07-01", "rate_minor": 52500}
    assert "50000 → 52500" in admin.get(reverse("rate_detail", args=[rate.pk])).content.decode()


def test_the_rate_list_filters_and_pages_in_constant_queries(admin, firm, matter, partner, associate, client_acme):
    rate_create(firm=firm, actor=None, timekeeper=partner, matter=matter, effective_on=date(2026, 1, 1),
                rate_minor=45000)
    few, _ = count_queries(admin, reverse("rate_list"))
    rate_create(firm=firm, actor=None, classification="AS", client=client_acme, effective_on=date(2026, 1, 2),
                rate_minor=28000)
    for n in range(60):
        tk = factories.make_timekeeper(firm, initials=f"R{n:02d}")
        other = factories.make_matter(firm, client=client_acme, billing_attorney=tk)
        rate_create(firm=firm, actor=None, timekeeper=tk, matter=other, effective_on=date(2025, 1, 1),
                    rate_minor=10000 + n)

    many, first = count_queries(admin, reverse("rate_list"))
    by_client = admin.get(reverse("rate_list"), {"where": "client"})
    searched = admin.get(reverse("rate_list"), {"q": "ra"})
    second = admin.get(reverse("rate_list"), {"page": "2"})

    assert many == few
    assert len(first.context["page"]) == 50
    assert [r.rate_minor for r in by_client.context["page"]] == [28000]
    assert [r.rate_minor for r in searched.context["page"]] == [45000]
    assert len(second.context["page"]) == 12
    assert "Client ACME" in by_client.content.decode() and "All Associate" in by_client.content.decode()
