"""/time-entries: hours, minutes or a span like the CLI; filters; billed time cannot be changed."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.core.models import AuditEvent
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import EntryStatus, TimeEntry
from lexbill.timekeeping.services import time_entry_create

pytestmark = pytest.mark.django_db


def _entry(firm, matter, timekeeper, on, hours="1", **extra):  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative="Work", **extra)


@pytest.mark.parametrize("duration,hours", [
    ({"hours": "1.23"}, "1.3"),
    ({"minutes": 7}, "0.2"),
    ({"start": "14:00", "end": "14:30"}, "0.5"),
])
def test_create_rounds_up_to_the_increment(api, matter, associate, admin_user, duration, hours):
    response = api.post("/time-entries/", {"matter": "ACME-001", "timekeeper": "jd", "worked_on": "2026-02-03",
                                           "narrative": " Call with client ", "task_code": "l120",
                                           "activity_code": "A106", **duration})

    assert response.status_code == 201
    entry = TimeEntry.objects.get()
    assert response.json() == {
        "id": entry.pk, "matter": "ACME-001", "matter_id": matter.pk, "timekeeper": "JD",
        "timekeeper_id": associate.pk, "worked_on": "2026-02-03", "hours_worked": hours, "hours_billable": hours,
        "narrative": "Call with client", "task_code": "L120", "activity_code": "A106", "charge_type": "billable",
        "status": "open", "rate": None, "amount": None, "currency": "USD",
    }
    assert entry.hours_worked == Decimal(hours)
    assert entry.created_by == admin_user


@pytest.mark.parametrize("body,field", [
    ({"hours": "1", "minutes": 60}, "hours_worked"),
    ({}, "hours_worked"),
    ({"start": "14:00"}, "hours_worked"),
    ({"start": "15:00", "end": "14:00"}, "hours_worked"),
    ({"hours": "25"}, "hours_worked"),
    ({"hours": "1", "worked_on": "2999-01-01"}, "worked_on"),
    ({"hours": "1", "task_code": "XYZ"}, "task_code"),
    ({"hours": "1", "narrative": "   "}, "narrative"),
    ({"hours": "1", "matter": "NOPE"}, "matter"),
])
def test_bad_time_is_422_naming_the_field_and_writes_nothing(api, matter, associate, body, field):
    base = {"matter": "ACME-001", "timekeeper": "JD", "worked_on": "2026-02-03", "narrative": "Call"}

    response = api.post("/time-entries/", {**base, **body})

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not TimeEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="time.create").exists()


@pytest.mark.parametrize("body", [{"minutes": 10**12}, {"hours": "1.0001"}, {"start": "25:00", "end": "26:00"},
                                  {"hours": 1.5}])
def test_schema_refuses_out_of_range_durations(api, matter, associate, body):
    base = {"matter": "ACME-001", "timekeeper": "JD", "worked_on": "2026-02-03", "narrative": "Call"}

    assert api.post("/time-entries/", {**base, **body}).status_code == 422
    assert not TimeEntry.objects.exists()


def test_patch_and_delete_open_time(api, firm, matter, associate, partner):
    entry = _entry(firm, matter, associate, date(2026, 2, 3))

    patched = api.patch(f"/time-entries/{entry.pk}", {"hours_billable": "0.45", "timekeeper": "RA",
                                                      "task_code": None})

    assert patched.status_code == 200
    assert (patched.json()["hours_worked"], patched.json()["hours_billable"], patched.json()["timekeeper"]) == (
        "1.0", "0.5", "RA")
    assert api.delete(f"/time-entries/{entry.pk}").status_code == 204
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("status", [EntryStatus.BILLED, EntryStatus.ON_PREBILL])
def test_billed_time_cannot_be_changed_or_deleted(api, firm, matter, associate, status):
    entry = _entry(firm, matter, associate, date(2026, 2, 3))
    TimeEntry.objects.filter(pk=entry.pk).update(status=status, rate_minor=30000, amount_minor=30000)

    deleted = api.delete(f"/time-entries/{entry.pk}")
    patched = api.patch(f"/time-entries/{entry.pk}", {"narrative": "Rewritten"})

    assert deleted.status_code == patched.status_code == 409
    assert deleted.json()["code"] == "conflict"
    entry.refresh_from_db()
    assert (entry.narrative, entry.status) == ("Work", status)
    body = api.get(f"/time-entries/{entry.pk}").json()
    assert (body["rate"], body["amount"]) == ("300.00", "300.00")


def test_list_filters(api, firm, matter, associate, partner):
    from lexbill.testing import factories

    other = factories.make_matter(firm, client=matter.client, billing_attorney=partner, number="ACME-002")
    a = _entry(firm, matter, associate, date(2026, 2, 1))
    b = _entry(firm, matter, partner, date(2026, 2, 10))
    c = _entry(firm, other, associate, date(2026, 2, 20))
    TimeEntry.objects.filter(pk=c.pk).update(status=EntryStatus.BILLED)

    def ids(**params):  # type: ignore[no-untyped-def]
        return [e["id"] for e in api.get("/time-entries/", **params).json()["items"]]

    assert ids() == [c.pk, b.pk, a.pk]
    assert ids(matter="ACME-001") == [b.pk, a.pk]
    assert ids(timekeeper="jd") == [c.pk, a.pk]
    assert ids(date_from="2026-02-05", date_to="2026-02-15") == [b.pk]
    assert ids(status="billed") == [c.pk]
    assert ids(limit=1, offset=1) == [b.pk]
    assert api.get("/time-entries/", limit=1, matter="ACME-001").json()["count"] == 2
