"""The new time entry form: hours, from/to or minutes, rounded by the service; errors keep the input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lexbill.testing import factories
from lexbill.timekeeping.models import ChargeType, TimeEntry


@pytest.fixture
def logged_in(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


def form_data(the_matter, timekeeper, **changes):
    data = {"timekeeper": timekeeper.pk, "matter": the_matter.pk, "worked_on": "2026-03-02",
            "narrative": "Prepared witness outline", "task_code": "l120", "activity_code": "A101"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(("duration", "hours"), [
    ({"hours": "1.25"}, Decimal("1.3")),
    ({"time_from": "14:00", "time_to": "14:30"}, Decimal("0.5")),
    ({"minutes": "7"}, Decimal("0.2")),
])
def test_a_new_entry_is_rounded_up_and_the_message_says_so(logged_in, matter, associate, duration, hours):
    response = logged_in.post("/time/new/", form_data(matter, associate, **duration), follow=True)

    created = TimeEntry.objects.get()
    assert (created.hours_worked, created.hours_billable, created.task_code, created.charge_type) == (
        hours, hours, "L120", ChargeType.BILLABLE)
    assert [str(m) for m in response.context["messages"]] == [
        f"Recorded {hours} h for JD on ACME-001 (2026-03-02)."]
    assert response.redirect_chain[-1] == (f"/time/#entry-{created.pk}", 302)


def test_no_charge_is_recorded(logged_in, matter, associate):
    logged_in.post("/time/new/", form_data(matter, associate, hours="0.5", no_charge="on"))

    assert TimeEntry.objects.get().charge_type == ChargeType.NO_CHARGE


def test_save_and_add_another_returns_to_an_empty_form(logged_in, matter, associate):
    response = logged_in.post("/time/new/", form_data(matter, associate, hours="0.5", add_another="1"))

    assert response["Location"] == "/time/new/"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({}, "hours", "exactly one"),
    ({"hours": "1", "minutes": "30"}, "hours", "exactly one"),
    ({"time_from": "14:00"}, "time_to", "A span needs both a start and an end."),
    ({"time_from": "15:00", "time_to": "14:00"}, "hours", "end 14:00 is not after start 15:00"),
    ({"hours": "0"}, "hours", "hours must be more than zero"),
    ({"hours": "30"}, "hours", "Ensure this value is less than or equal to 24."),
    ({"minutes": "1500"}, "minutes", "Ensure this value is less than or equal to 1440."),
    ({"hours": "1", "worked_on": "2099-05-01"}, "worked_on", "2099-05-01 is in the future"),
    ({"hours": "1", "task_code": "bogus"}, "task_code", "is not a UTBMS task code"),
    ({"hours": "1", "narrative": ""}, "narrative", "This field is required."),
    ({"hours": "1", "matter": "999999"}, "matter", "No open matter 999999: type its number or pick it from the list."),
])
def test_a_refused_entry_shows_the_error_at_its_field_and_keeps_the_input(logged_in, matter, associate, changes,
                                                                          field, message):
    response = logged_in.post("/time/new/", form_data(matter, associate, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.index(f'id="field-{field}"'):]
    block = block[:block.index('<div class="field')] if '<div class="field' in block else block
    assert message in block
    if changes.get("narrative", "x"):
        assert "Prepared witness outline</textarea>" in html
    assert not TimeEntry.objects.exists()


def test_a_closed_matter_is_not_offered(logged_in, firm, matter, associate):
    from datetime import date

    from lexbill.clients.services import matter_update

    closed = factories.make_matter(firm, number="OLD-001", name="Old case")
    matter_update(matter=closed, actor=None, status="closed", closed_on=date(2026, 2, 1))

    offered = logged_in.get("/pickers/matters/?q=0").json()["results"]
    posted = logged_in.post("/time/new/", form_data(matter, associate, hours="1", matter="OLD-001"))

    assert [m["value"] for m in offered] == ["ACME-001"]
    assert "No open matter OLD-001" in posted.content.decode()


def test_a_day_over_24_hours_is_refused_next_to_the_hours(logged_in, matter, associate):
    logged_in.post("/time/new/", form_data(matter, associate, hours="20"))

    response = logged_in.post("/time/new/", form_data(matter, associate, hours="4.5"))

    assert response.status_code == 200
    assert response.context["form"].errors["hours"] == [
        "JD would have 24.5 h on 2026-03-02 (20 h already recorded): more than 24 h in one day"]
    assert list(TimeEntry.objects.values_list("hours_worked", flat=True)) == [Decimal(20)]
