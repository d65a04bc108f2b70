"""Client pages: create and edit through the services, bad input kept and refused, contacts, the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lexbill.clients.models import Client, ClientContact
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.testing import factories

from .records_support import audit_count, count_queries

GOOD = {"code": "BETA", "name": "Beta Industries", "address_line1": "1 Main St", "city": "Boston", "region": "MA",
        "postcode": "02110", "country": "us", "currency": "usd", "payment_terms_days": "45",
        "ledes_client_id": "BETA-01", "billing_increment": "0.25", "is_active": "on", "notes": ""}


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def test_creating_a_client_stores_exact_values_and_an_audit_event(admin, firm, admin_user):
    response = admin.post(reverse("client_create"), GOOD)

    created = Client.objects.get(code="BETA")
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[created.pk])
    assert (created.name, created.country, created.currency) == ("Beta Industries", "US", "USD")
    assert created.payment_terms_days == 45
    assert created.billing_increment_milli == 250
    assert created.is_active is True
    # The client, then its LEDES client id, each recorded by its owner.
    events = AuditEvent.objects.filter(entity="client", entity_id=str(created.pk)).order_by("pk")
    assert [(e.action, e.actor_id) for e in events] == [("client.create", admin_user.pk),
                                                        ("client.ebilling_settings", admin_user.pk)]
    assert events[1].after == {"ledes_client_id": "BETA-01"}
    assert client_ebilling_settings(created).ledes_client_id == "BETA-01"


def test_an_empty_increment_means_the_firms(admin, firm):
    admin.post(reverse("client_create"), {**GOOD, "billing_increment": ""})

    assert Client.objects.get(code="BETA").billing_increment_milli is None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"code": "", "name": ""}, "code", "This field is required."),
    ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
    ({"payment_terms_days": "thirty"}, "payment_terms_days", "Enter a whole number."),
    ({"payment_terms_days": "-5"}, "payment_terms_days", "Ensure this value is greater than or equal to 0."),
    ({"billing_increment": "0.1x"}, "billing_increment", "Enter a number."),
    ({"billing_increment": "-0.1"}, "billing_increment", "Ensure this value is greater than or equal to 0.001."),
    ({"billing_increment": "1.0005"}, "billing_increment", "Ensure that there are no more than 3 decimal places."),
    ({"currency": "dollars"}, "currency", "Ensure this value has at most 3 characters (it has 7)."),
    ({"currency": "U1"}, "currency", "Enter a three-letter currency code such as USD."),
    ({"currency": "xyz"}, "currency", "unknown currency 'XYZ': use an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY"),
    ({"code": "ACME"}, "code", "Client number ACME is already taken."),
])
def test_bad_input_is_shown_next_to_the_field_kept_and_nothing_is_written(admin, client_acme, changes, field,
                                                                           message):
    before_clients, before_events = Client.objects.count(), audit_count()
    data = {**GOOD, **changes}

    response = admin.post(reverse("client_create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert form[field].value() == data[field]
    assert Client.objects.count() == before_clients
    assert audit_count() == before_events


def test_editing_a_client_records_before_and_after(admin, client_acme):
    url = reverse("client_edit", args=[client_acme.pk])
    form = admin.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}

    response = admin.post(url, {**data, "name": "Acme Corporation", "payment_terms_days": "60"})

    assert response.status_code == 302
    client_acme.refresh_from_db()
    assert (client_acme.name, client_acme.payment_terms_days, client_acme.code) == ("Acme Corporation", 60, "ACME")
    event = AuditEvent.objects.filter(entity="client", entity_id=str(client_acme.pk)).order_by("-seq").first()
    assert event.action == "client.update"
    assert event.before == {"name": "Acme Corp", "payment_terms_days": 30}
    assert event.after == {"name": "Acme Corporation", "payment_terms_days": 60}
    page = admin.get(reverse("client_detail", args=[client_acme.pk])).content.decode()
    assert "Acme Corp → Acme Corporation" in page and "30 → 60" in page


def test_the_currency_of_a_client_with_matters_cannot_change(admin, client_acme, matter):
    url = reverse("client_edit", args=[client_acme.pk])
    before = audit_count()

    response = admin.post(url, {**GOOD, "code": "ACME", "name": "Acme Corp", "currency": "EUR"})

    assert response.context["form"].errors["currency"] == ["the currency of a client with matters cannot change"]
    client_acme.refresh_from_db()
    assert client_acme.currency == "USD"
    assert audit_count() == before


def test_a_contact_is_added_inline_with_htmx(admin, client_acme):
    url = reverse("contact_add", args=[client_acme.pk])

    response = admin.post(url, {"name": "Wile E. Coyote", "email": "wile@acme.example", "role": "GC",
                                "is_billing_contact": "on"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="contacts"')
    assert "Wile E. Coyote" in body and "<html" not in body
    contact = ClientContact.objects.get(client=client_acme)
    assert (contact.email, contact.role, contact.is_billing_contact) == ("wile@acme.example", "GC", True)


def test_a_bad_contact_keeps_the_input_and_shows_the_error(admin, client_acme):
    url = reverse("contact_add", args=[client_acme.pk])

    htmx = admin.post(url, {"name": "Road Runner", "email": "not-an-email"}, HTTP_HX_REQUEST="true")
    plain = admin.post(url, {"name": "", "email": "rr@acme.example"})

    assert "Enter a valid email address." in htmx.content.decode()
    assert 'value="Road Runner"' in htmx.content.decode()
    assert plain.status_code == 200
    assert plain.context["contact_form"].errors == {"name": ["This field is required."]}
    assert 'value="rr@acme.example"' in plain.content.decode()
    assert not ClientContact.objects.exists()


def test_a_contact_without_htmx_redirects_to_the_client(admin, client_acme):
    response = admin.post(reverse("contact_add", args=[client_acme.pk]), {"name": "Road Runner"})

    assert response["Location"] == reverse("client_detail", args=[client_acme.pk])
    assert list(ClientContact.objects.values_list("name", flat=True)) == ["Road Runner"]


def test_the_client_list_searches_filters_and_counts_open_matters(admin, firm, client_acme, matter, partner):
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, status="closed",
                          closed_on=matter.opened_on)
    factories.make_client(firm, code="ZED", name="Zed Ltd", currency="EUR")
    factories.make_client(firm, code="OLD", name="Old Co", is_active=False)

    everyone = admin.get(reverse("client_list"))
    euro = admin.get(reverse("client_list"), {"currency": "eur"})
    searched = admin.get(reverse("client_list"), {"q": "acm"})
    inactive = admin.get(reverse("client_list"), {"active": "no"})

    assert [c.code for c in everyone.context["page"]] == ["ACME", "ZED"]
    assert [c.code for c in euro.context["page"]] == ["ZED"]
    assert [(c.code, c.open_matters) for c in searched.context["page"]] == [("ACME", 1)]
    assert [c.code for c in inactive.context["page"]] == ["OLD"]


def test_the_client_list_pages_by_50_in_a_constant_number_of_queries(admin, firm, partner):
    for n in range(3):
        client = factories.make_client(firm, code=f"A{n:03d}", name=f"Client A{n:03d}")
        factories.make_matter(firm, client=client, billing_attorney=partner)
    few, _ = count_queries(admin, reverse("client_list"))
    for n in range(3, 60):
        client = factories.make_client(firm, code=f"A{n:03d}", name=f"Client A{n:03d}")
        factories.make_matter(firm, client=client, billing_attorney=partner)

    many, first = count_queries(admin, reverse("client_list"))
    _, second = count_queries(admin, reverse("client_list") + "?page=2")

    assert many == few
    assert len(first.context["page"]) == 50
    assert [c.code for c in second.context["page"]] == [f"A{n:03d}" for n in range(50, 60)]


def test_the_client_page_shows_contacts_matters_and_history_in_constant_queries(admin, firm, client_acme, partner):
    factories.make_matter(firm, client=client_acme, billing_attorney=partner)
    few, _ = count_queries(admin, reverse("client_detail", args=[client_acme.pk]))
    for _ in range(5):
        factories.make_matter(firm, client=client_acme, billing_attorney=factories.make_timekeeper(firm))

    many, response = count_queries(admin, reverse("client_detail", args=[client_acme.pk]))

    assert many == few
    assert len(response.context["matters"]) == 6
    assert [row.action for row in response.context["history"]] == ["client.create"]
    assert [c.field for c in response.context["history"][0].changes] == [
        "code", "country", "currency", "is_active", "is_consolidated_billing", "name", "payment_terms_days",
        "utbms_code_sets"]
