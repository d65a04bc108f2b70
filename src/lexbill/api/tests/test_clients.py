"""/clients: CRUD with exact values, pagination, filters, refusals that change nothing."""

import pytest
from django_scopes import scopes_disabled

from lexbill.clients.models import Client
from lexbill.core.models import AuditEvent
from lexbill.testing import factories

pytestmark = pytest.mark.django_db

ACME_OUT = {
    "code": "ACME", "name": "Acme Corp", "address_line1": "", "address_line2": "", "city": "", "region": "",
    "postcode": "", "country": "US", "currency": "USD", "payment_terms_days": 30, "ledes_client_id": "",
    "billing_increment": None, "is_consolidated_billing": False, "is_active": True, "notes": "",
    "utbms_code_sets": [], "missing_codes": "refuse",
}


def test_create_client_returns_it_and_audits(api, firm, admin_user):
    response = api.post("/clients/", {"code": " GLOBEX ", "name": "Globex", "city": "Springfield",
                                      "currency": "eur", "payment_terms_days": 45, "billing_increment": "0.25"})

    assert response.status_code == 201
    body = response.json()
    client = Client.objects.get(code="GLOBEX")
    assert body == {"id": client.pk, "code": "GLOBEX", "name": "Globex", "address_line1": "", "address_line2": "",
                    "city": "Springfield", "region": "", "postcode": "", "country": "US", "currency": "EUR",
                    "payment_terms_days": 45, "ledes_client_id": "", "billing_increment": "0.25",
                    "is_consolidated_billing": False, "is_active": True, "notes": "",
                    "utbms_code_sets": [], "missing_codes": "refuse"}
    assert client.billing_increment_milli == 250
    event = AuditEvent.objects.get(action="client.create")
    assert (event.entity_id, event.actor) == (str(client.pk), admin_user)


def test_create_client_defaults_currency_to_the_firms(api):
    response = api.post("/clients/", {"code": "INIT", "name": "Initech"})

    assert response.status_code == 201
    assert response.json()["currency"] == "USD"


def test_get_client(api, client_acme):
    response = api.get(f"/clients/{client_acme.pk}")

    assert response.status_code == 200
    assert response.json() == {"id": client_acme.pk, **ACME_OUT}


def test_patch_client_changes_only_given_fields(api, client_acme):
    response = api.patch(f"/clients/{client_acme.pk}", {"name": "Acme Corporation", "notes": None,
                                                        "billing_increment": "0.1"})

    assert response.status_code == 200
    assert response.json() == {"id": client_acme.pk, **ACME_OUT, "name": "Acme Corporation",
                               "billing_increment": "0.1"}
    client_acme.refresh_from_db()
    assert (client_acme.name, client_acme.billing_increment_milli) == ("Acme Corporation", 100)


def test_patch_null_on_a_required_field_is_refused(api, client_acme):
    response = api.patch(f"/clients/{client_acme.pk}", {"name": None})

    assert response.status_code == 422
    assert response.json() == {"detail": "name cannot be null", "code": "invalid", "field": "name"}


def test_delete_client_without_matters(api, client_acme):
    response = api.delete(f"/clients/{client_acme.pk}")

    assert response.status_code == 204
    assert not Client.objects.filter(pk=client_acme.pk).exists()
    assert AuditEvent.objects.filter(action="client.delete", entity_id=str(client_acme.pk)).count() == 1


def test_delete_client_with_matters_is_409_and_keeps_it(api, client_acme, matter):
    events_before = AuditEvent.objects.count()

    response = api.delete(f"/clients/{client_acme.pk}")

    assert response.status_code == 409
    assert response.json() == {"detail": "client ACME still has matters; close them instead of deleting",
                               "code": "conflict", "field": None}
    assert Client.objects.filter(pk=client_acme.pk).exists()
    assert AuditEvent.objects.count() == events_before


def test_duplicate_code_is_refused_and_nothing_written(api, client_acme):
    response = api.post("/clients/", {"code": "ACME", "name": "Second Acme"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert list(Client.objects.values_list("name", flat=True)) == ["Acme Corp"]


@pytest.mark.parametrize("body", [
    {"code": "", "name": "X"},
    {"code": "X" * 31, "name": "X"},
    {"code": "X", "name": "X", "payment_terms_days": 10**30},
    {"code": "X", "name": "X", "payment_terms_days": -1},
    {"code": "X", "name": "X", "currency": "DOLLARS"},
    {"code": "X", "name": "X", "currency": "XYZ"},
    {"code": "X", "name": "X", "billing_increment": "0"},
    {"code": "X", "name": "X", "billing_increment": "1e5"},
    {"code": "X", "name": "X\x00"},
    {"name": "no code"},
])
def test_bad_client_inputs_are_4xx_and_write_nothing(api, body):
    response = api.post("/clients/", body)

    assert response.status_code == 422
    with scopes_disabled():
        assert Client.objects.count() == 0
        assert AuditEvent.objects.filter(action="client.create").count() == 0


def test_list_paginates_with_a_count(api, firm):
    for n in range(7):
        factories.make_client(firm, code=f"C{n}", name=f"Client {n}")

    first = api.get("/clients/", limit=3).json()
    last = api.get("/clients/", limit=3, offset=6).json()

    assert first["count"] == 7
    assert [c["code"] for c in first["items"]] == ["C0", "C1", "C2"]
    assert [c["code"] for c in last["items"]] == ["C6"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"offset": 10**20}])
def test_pagination_bounds_are_422(api, params):
    assert api.get("/clients/", **params).status_code == 422


def test_list_filters_by_text_and_active(api, firm, client_acme):
    factories.make_client(firm, code="GLX", name="Globex", is_active=False)

    assert [c["code"] for c in api.get("/clients/", q="glob").json()["items"]] == ["GLX"]
    assert [c["code"] for c in api.get("/clients/", q="acm").json()["items"]] == ["ACME"]
    assert [c["code"] for c in api.get("/clients/", is_active="false").json()["items"]] == ["GLX"]
