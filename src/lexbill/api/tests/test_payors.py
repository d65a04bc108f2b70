"""/matters/{id}/payors (split billing) and the split invoices issued through /invoices."""

import pytest

from lexbill.clients.models import MatterPayor
from lexbill.core.models import AuditEvent
from lexbill.testing import factories

from .billing_api_helpers import acme_prebill

pytestmark = pytest.mark.django_db


@pytest.fixture
def insurer(firm):  # type: ignore[no-untyped-def]
    return factories.make_client(firm, code="INSCO", name="Insurance Co.")


def test_put_and_get_the_payors(api, matter, insurer):
    body = {"payors": [{"client": "INSCO", "share": "66.67", "client_matter_id": "CLM-1"},
                       {"client": "ACME", "share": "33.33"}]}
    response = api.put(f"/matters/{matter.pk}/payors", body)
    assert response.status_code == 200, response.json()
    expected = {"matter": "ACME-001", "payors": [
        {"client": "INSCO", "share": "66.67", "share_bp": 6667, "client_matter_id": "CLM-1"},
        {"client": "ACME", "share": "33.33", "share_bp": 3333, "client_matter_id": ""}]}
    assert response.json() == expected
    assert api.get(f"/matters/{matter.pk}/payors").json() == expected
    assert api.put(f"/matters/{matter.pk}/payors", {"payors": []}).json() == {"matter": "ACME-001", "payors": []}
    assert AuditEvent.objects.filter(action="matter.payors").count() == 2


@pytest.mark.parametrize(("payors", "message"), [
    ([{"client": "INSCO", "share": "60"}, {"client": "ACME", "share": "30"}], "add up to 90.00 %"),
    ([{"client": "NOBODY", "share": "100"}], "no client"),
    ([{"client": "INSCO", "share": "100.5"}], "0 to 100"),
])
def test_refused_payors_are_422_and_change_nothing(api, matter, insurer, payors, message):
    response = api.put(f"/matters/{matter.pk}/payors", {"payors": payors})
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not MatterPayor.objects.exists()


def test_another_firms_matter_is_404(api, other_firm):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        stranger = factories.make_matter(other_firm)
    assert api.get(f"/matters/{stranger.pk}/payors").status_code == 404
    assert api.put(f"/matters/{stranger.pk}/payors", {"payors": []}).status_code == 404


def test_issuing_a_split_pre_bill_answers_with_the_first_invoice_and_names_the_others(
        api, firm, matter, partner, associate, insurer):
    api.put(f"/matters/{matter.pk}/payors", {"payors": [{"client": "INSCO", "share": "60"},
                                                        {"client": "ACME", "share": "40"}]})
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")
    response = api.post("/invoices/", {"prebill": prebill.pk, "issued_on": "2026-04-02"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["client"], body["payor_share"], body["split_invoices"]) == ("INSCO", "60.00", ["2026-00002"])
    other = api.get("/invoices/", client="ACME").json()["items"]
    assert [(i["number"], i["payor_share"]) for i in other] == [("2026-00002", "40.00")]
