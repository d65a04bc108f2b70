"""/rates: list, create, delete; the precedence rules' shape is enforced by the model's constraints."""

import pytest

from lexbill.rates.models import Rate

pytestmark = pytest.mark.django_db


def test_create_list_delete_rate(api, matter, associate):
    created = api.post("/rates/", {"timekeeper": "jd", "matter": "ACME-001", "effective_on": "2026-01-01",
                                   "rate": "375.00", "note": "2026 rate"})

    assert created.status_code == 201
    rate = Rate.objects.get()
    expected = {"id": rate.pk, "timekeeper": "JD", "timekeeper_id": associate.pk, "classification": "",
                "client": None, "client_id": None, "matter": "ACME-001", "matter_id": matter.pk,
                "effective_on": "2026-01-01", "rate": "375.00", "currency": "USD", "note": "2026 rate"}
    assert created.json() == expected
    assert rate.rate_minor == 37500
    assert api.get("/rates/").json() == {"items": [expected], "count": 1}
    assert api.get("/rates/", timekeeper="RA").json()["count"] == 0
    assert api.get("/rates/", matter="ACME-001").json()["count"] == 1

    assert api.delete(f"/rates/{rate.pk}").status_code == 204
    assert not Rate.objects.exists()


def test_client_classification_rate(api, client_acme):
    response = api.post("/rates/", {"classification": "PT", "client": "ACME", "effective_on": "2026-01-01",
                                    "rate": "600"})

    assert response.status_code == 201
    assert (response.json()["classification"], response.json()["client"], response.json()["rate"]) == (
        "PT", "ACME", "600.00")
    assert api.get("/rates/", client="ACME").json()["count"] == 1


@pytest.mark.parametrize("body", [
    {"timekeeper": "JD", "classification": "AS", "matter": "ACME-001"},  # both a person and a class
    {"classification": "AS"},  # a class rate needs a client or a matter
    {"timekeeper": "JD", "client": "ACME", "matter": "ACME-001"},  # client and matter
    {},  # neither a person nor a class
    {"timekeeper": "QQ"},
])
def test_malformed_rates_are_422_and_write_nothing(api, matter, associate, body):
    response = api.post("/rates/", {"effective_on": "2026-01-01", "rate": "300", **body})

    assert response.status_code == 422
    assert not Rate.objects.exists()
