"""/matters: business keys in and out, money in the matter's currency, filters, protected delete."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.clients.models import Matter
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

pytestmark = pytest.mark.django_db


def test_create_matter_by_business_keys(api, client_acme, partner, associate):
    response = api.post("/matters/", {
        "client": "ACME", "number": "ACME-002", "name": "Acme patent", "billing_attorney": "ra",
        "responsible_attorney": "JD", "opened_on": "2026-02-01", "fee_arrangement": "capped",
        "fee_amount": "25000.00", "budget": "30000", "billing_increment": "0.25", "fee_percent_bp": 0,
    })

    assert response.status_code == 201
    matter = Matter.objects.get(number="ACME-002")
    assert response.json() == {
        "id": matter.pk, "number": "ACME-002", "name": "Acme patent", "client": "ACME", "client_id": client_acme.pk,
        "client_matter_id": "", "description": "", "billing_attorney": "RA", "responsible_attorney": "JD",
        "originating_attorney": None, "status": "open", "opened_on": "2026-02-01", "closed_on": None,
        "currency": "USD", "fee_arrangement": "capped", "fee_amount": "25000.00", "fee_percent_bp": 0,
        "retainer_first_month": "full", "retainer_last_month": "full",
        "billing_increment": "0.25", "budget": "30000.00", "utbms_code_sets": [],
    }
    assert (matter.fee_amount_minor, matter.budget_minor, matter.billing_increment_milli) == (2500000, 3000000, 250)


def test_unknown_client_or_attorney_is_422_naming_the_field(api, client_acme, partner):
    body = {"client": "ACME", "number": "ACME-009", "name": "X", "billing_attorney": "QQ", "opened_on": "2026-02-01"}

    response = api.post("/matters/", body)

    assert response.status_code == 422
    assert response.json() == {"detail": "no timekeeper with initials 'QQ'", "code": "invalid",
                               "field": "billing_attorney"}
    assert not Matter.objects.filter(number="ACME-009").exists()


def test_currency_other_than_the_clients_is_refused(api, client_acme, partner):
    response = api.post("/matters/", {"client": "ACME", "number": "ACME-003", "name": "X", "billing_attorney": "RA",
                                      "opened_on": "2026-02-01", "currency": "eur"})

    assert response.status_code == 422
    assert response.json()["field"] == "currency"
    assert not Matter.objects.filter(number="ACME-003").exists()


def test_patch_closes_a_matter_and_clears_the_budget(api, matter):
    response = api.patch(f"/matters/{matter.pk}", {"status": "closed", "closed_on": "2026-03-01", "budget": None})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["closed_on"], response.json()["budget"]) == (
        "closed", "2026-03-01", None)


def test_closing_without_a_date_is_refused_and_nothing_changes(api, matter):
    response = api.patch(f"/matters/{matter.pk}", {"status": "closed", "name": "Renamed"})

    assert response.status_code == 422
    assert response.json() == {"detail": "a closed matter needs a closing date", "code": "invalid",
                               "field": "closed_on"}
    matter.refresh_from_db()
    assert (matter.status, matter.name) == ("open", "Acme v. Widget Co.")


def test_delete_matter_with_time_is_409_without_time_204(api, firm, matter, associate):
    empty = factories.make_matter(firm, client=matter.client, billing_attorney=associate, number="ACME-777")
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 2, 3),
                      duration=Duration(hours=Decimal("1")), narrative="Research")

    assert api.delete(f"/matters/{matter.pk}").status_code == 409
    assert api.delete(f"/matters/{empty.pk}").status_code == 204
    assert list(Matter.objects.values_list("number", flat=True)) == ["ACME-001"]


def test_list_filters_by_client_status_and_billing_attorney(api, firm, matter, associate):
    other = factories.make_client(firm, code="GLX", name="Globex")
    factories.make_matter(firm, client=other, billing_attorney=associate, number="GLX-001", status="closed",
                          closed_on=date(2026, 2, 1))

    def numbers(**params):  # type: ignore[no-untyped-def]
        return [m["number"] for m in api.get("/matters/", **params).json()["items"]]

    assert numbers() == ["ACME-001", "GLX-001"]
    assert numbers(client="GLX") == ["GLX-001"]
    assert numbers(status="open") == ["ACME-001"]
    assert numbers(billing_attorney="jd") == ["GLX-001"]
    assert api.get("/matters/", status="archived").status_code == 422


def test_a_retainers_opening_and_closing_month_rules_are_set_and_checked(api, matter):
    response = api.patch(f"/matters/{matter.pk}", {"retainer_first_month": "prorated", "retainer_last_month": "none"})
    refused = api.patch(f"/matters/{matter.pk}", {"retainer_first_month": "half"})

    assert response.status_code == 200
    assert (response.json()["retainer_first_month"], response.json()["retainer_last_month"]) == ("prorated", "none")
    assert refused.status_code == 422
    matter.refresh_from_db()
    assert (matter.retainer_first_month, matter.retainer_last_month) == ("prorated", "none")
