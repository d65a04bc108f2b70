"""/timers: start with UTBMS codes (checked as a time entry's are), list one's own, stop into an entry that
carries the codes (issue #9 defect 6)."""

import pytest

from lexbill.testing import factories
from lexbill.timekeeping.models import TimeEntry, Timer
from lexbill.timekeeping.services import timer_start

pytestmark = pytest.mark.django_db


def test_a_timer_started_with_codes_stops_into_a_coded_entry(api, client_acme, matter, associate):
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()

    started = api.post("/timers/", {"matter": "ACME-001", "timekeeper": "jd", "narrative": "Call",
                                    "task_code": "l120", "activity_code": "A106"})
    listed = api.get("/timers/")

    assert started.status_code == 201
    timer = Timer.objects.get()
    assert started.json()["task_code"] == "L120" and started.json()["is_running"] is True
    assert [t["id"] for t in listed.json()] == [timer.pk]

    stopped = api.post(f"/timers/{timer.pk}/stop", {})

    assert stopped.status_code == 201
    entry = TimeEntry.objects.get()
    assert (entry.task_code, entry.activity_code, entry.narrative) == ("L120", "A106", "Call")
    assert stopped.json()["id"] == entry.pk
    assert not Timer.objects.exists()


def test_a_code_outside_the_matters_sets_is_422_and_starts_nothing(api, client_acme, matter, associate):
    client_acme.utbms_code_sets = ["bankruptcy"]
    client_acme.save()

    response = api.post("/timers/", {"matter": "ACME-001", "timekeeper": "JD", "task_code": "L120"})

    assert response.status_code == 422
    assert response.json()["field"] == "task_code"
    assert not Timer.objects.exists()


def test_codes_given_at_stop_replace_the_timers_and_a_bad_one_keeps_the_timer(api, matter, associate):
    timer = api.post("/timers/", {"matter": "ACME-001", "timekeeper": "JD", "narrative": "Call"}).json()

    refused = api.post(f"/timers/{timer['id']}/stop", {"task_code": "ZZ9"})
    stopped = api.post(f"/timers/{timer['id']}/stop", {"task_code": "L130", "activity_code": "A104"})

    assert refused.status_code == 422
    assert stopped.status_code == 201
    assert (stopped.json()["task_code"], stopped.json()["activity_code"]) == ("L130", "A104")


def test_another_users_timer_is_404(api, firm, matter, associate):
    other = factories.make_user(firm, email="other@arnsley.example", role="admin")
    theirs = timer_start(firm=firm, user=other, timekeeper=associate, matter=matter)

    assert api.post(f"/timers/{theirs.pk}/stop", {}).status_code == 404
    assert api.get("/timers/").json() == []
    assert Timer.objects.filter(pk=theirs.pk).exists()
