"""`lexbill timer`: start with UTBMS codes (refused as a time entry's would be), list, stop into a coded entry."""

import pytest
from django_scopes import scopes_disabled

from lexbill.testing import factories
from lexbill.timekeeping.models import TimeEntry, Timer


@pytest.fixture
def jane(firm, associate):
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney")
    with scopes_disabled():
        type(associate).objects.filter(pk=associate.pk).update(user=user)
    return user


def test_a_timer_started_with_codes_stops_into_a_coded_entry(run_json, jane, client_acme, matter):
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()

    started = run_json("timer", "start", "--timekeeper", "JD", "--matter", "ACME-001", "--narrative", "Call",
                       "--task", "l120", "--activity", "A106")
    listed = run_json("timer", "list")

    timer = Timer.objects.get()
    assert (started["task_code"], started["activity_code"], timer.user_id) == ("L120", "A106", jane.pk)
    assert [t["id"] for t in listed] == [timer.pk]

    entry = run_json("timer", "stop", str(timer.pk))

    assert (entry["task_code"], entry["activity_code"], entry["narrative"]) == ("L120", "A106", "Call")
    assert not Timer.objects.exists()


def test_a_code_outside_the_matters_sets_is_one_line_exit_1_and_starts_nothing(run, jane, client_acme, matter):
    client_acme.utbms_code_sets = ["bankruptcy"]
    client_acme.save()

    result = run("timer", "start", "--timekeeper", "JD", "--matter", "ACME-001", "--task", "L120")

    assert result.exit_code == 1
    assert "L120 is a litigation code; this matter requires bankruptcy" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not Timer.objects.exists()


def test_codes_given_to_stop_replace_the_timers(run, run_json, jane, matter):
    timer = run_json("timer", "start", "--timekeeper", "JD", "--matter", "ACME-001", "--narrative", "Call")

    refused = run("timer", "stop", str(timer["id"]), "--task", "ZZ9")
    entry = run_json("timer", "stop", str(timer["id"]), "--task", "L130", "--activity", "A104")

    assert refused.exit_code == 1
    assert (entry["task_code"], entry["activity_code"]) == ("L130", "A104")
    assert TimeEntry.objects.count() == 1


def test_a_timekeeper_without_a_login_cannot_own_a_timer(run, matter, associate):
    result = run("timer", "start", "--timekeeper", "JD", "--matter", "ACME-001")

    assert result.exit_code == 1
    assert "timekeeper JD has no login to own the timer" in result.stderr
    assert not Timer.objects.exists()
