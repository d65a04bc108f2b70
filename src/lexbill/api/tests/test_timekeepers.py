"""/timekeepers: rates as decimal strings in the firm's currency; delete refused while they have work."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

pytestmark = pytest.mark.django_db


def test_create_get_patch_delete_timekeeper(api):
    created = api.post("/timekeepers/", {"initials": "mk", "first_name": "Mia", "last_name": "Kovacs",
                                         "classification": "OC", "standard_rate": "425.50"})
    assert created.status_code == 201
    pk = created.json()["id"]
    expected = {"id": pk, "initials": "MK", "first_name": "Mia", "last_name": "Kovacs", "title": "",
                "classification": "OC", "standard_rate": "425.50", "currency": "USD", "is_active": True}
    assert created.json() == expected
    assert Timekeeper.objects.get(pk=pk).standard_rate_minor == 42550

    assert api.get(f"/timekeepers/{pk}").json() == expected

    patched = api.patch(f"/timekeepers/{pk}", {"standard_rate": "450", "title": "Counsel", "is_active": False})
    assert patched.json() == {**expected, "standard_rate": "450.00", "title": "Counsel", "is_active": False}

    assert api.delete(f"/timekeepers/{pk}").status_code == 204
    assert not Timekeeper.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("rate", ["425.505", "-1", "1e3", "12345678901234", 350])
def test_bad_rates_are_422_and_write_nothing(api, rate):
    response = api.post("/timekeepers/", {"initials": "MK", "first_name": "Mia", "last_name": "Kovacs",
                                          "classification": "OC", "standard_rate": rate})

    assert response.status_code == 422
    assert not Timekeeper.objects.exists()


def test_delete_timekeeper_with_time_is_409(api, firm, matter, associate):
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 2, 3),
                      duration=Duration(hours=Decimal("1")), narrative="Research")

    response = api.delete(f"/timekeepers/{associate.pk}")

    assert response.status_code == 409
    assert response.json()["detail"] == ("timekeeper JD has time, expenses or matters; "
                                         "mark them inactive instead of deleting")
    assert Timekeeper.objects.filter(pk=associate.pk).exists()


def test_list_filters_by_classification_and_active(api, partner, associate):
    assert [t["initials"] for t in api.get("/timekeepers/").json()["items"]] == ["RA", "JD"]
    assert [t["initials"] for t in api.get("/timekeepers/", classification="AS").json()["items"]] == ["JD"]
    associate.is_active = False
    associate.save()
    assert [t["initials"] for t in api.get("/timekeepers/", is_active="true").json()["items"]] == ["RA"]
