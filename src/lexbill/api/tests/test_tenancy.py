"""A user of one firm reaches nothing of another: every object 404s like a missing one, lists omit it."""

import pytest
from django_scopes import scopes_disabled

pytestmark = pytest.mark.django_db

RESOURCES = ["clients", "matters", "timekeepers", "time-entries", "expenses", "rates"]
KEY = {"clients": "client", "matters": "matter", "timekeepers": "timekeeper", "rates": "rate"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_another_firms_object_is_404_like_a_missing_one(api, foreign, resource):
    pk = foreign[KEY.get(resource, resource)].pk

    foreign_answer = api.get(f"/{resource}/{pk}")
    missing_answer = api.get(f"/{resource}/{pk + 10_000}")

    assert foreign_answer.status_code == missing_answer.status_code == 404
    singular = {"time-entries": "time entry", "expenses": "expense"}.get(resource, KEY.get(resource))
    assert foreign_answer.json() == {"detail": f"no {singular} with id {pk}", "code": "not_found", "field": None}


@pytest.mark.parametrize("resource", RESOURCES)
def test_another_firms_object_cannot_be_changed_or_deleted(api, foreign, other_firm, resource):
    record = foreign[KEY.get(resource, resource)]

    deleted = api.delete(f"/{resource}/{record.pk}")
    if resource != "rates":
        patched = api.patch(f"/{resource}/{record.pk}", {})
        assert patched.status_code == 404

    assert deleted.status_code == 404
    with scopes_disabled():
        assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_lists_show_nothing_of_another_firm(api, foreign, resource):
    body = api.get(f"/{resource}/").json()

    assert body == {"items": [], "count": 0}


def test_records_of_another_firm_cannot_be_named_in_a_body(api, foreign, associate, matter):
    response = api.post("/time-entries/", {"matter": "F-001", "timekeeper": "JD", "worked_on": "2026-02-02",
                                           "hours": "1", "narrative": "Sneaky"})

    assert response.status_code == 422
    assert response.json() == {"detail": "no matter with number 'F-001'", "code": "invalid", "field": "matter"}


def test_filters_by_another_firms_keys_find_nothing(api, foreign):
    assert api.get("/time-entries/", matter="F-001").json()["count"] == 0
    assert api.get("/matters/", client="FOREIGN").json()["count"] == 0
    assert api.get("/rates/", timekeeper="ZZ").json()["count"] == 0
