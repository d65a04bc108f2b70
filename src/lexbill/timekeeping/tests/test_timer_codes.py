"""Timers take UTBMS codes, checked against the matter's required sets as time entries are, and stopping
carries them onto the entry (issue #9 defect 6: a timer entry on a LEDES client went through uncoded)."""

from datetime import UTC, datetime, timedelta

import pytest

from lexbill.core.errors import ValidationFailed
from lexbill.testing import factories
from lexbill.timekeeping.models import TimeEntry, Timer
from lexbill.timekeeping.services import timer_start, timer_stop

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def user(firm):
    return factories.make_user(firm, email="jane@arnsley.example", role="admin")


@pytest.fixture
def ledes_matter(client_acme, matter):
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()
    return matter


def test_a_timer_keeps_its_codes_and_the_entry_carries_them(firm, user, ledes_matter, associate):
    # Given a timer started with codes (typed in lower case)
    timer = timer_start(firm=firm, user=user, timekeeper=associate, matter=ledes_matter, narrative="Call",
                        task_code="l120", activity_code="a106", now=T0)
    assert (timer.task_code, timer.activity_code) == ("L120", "A106")

    # When it is stopped
    entry = timer_stop(timer=timer, actor=user, now=T0 + timedelta(minutes=5))

    # Then the entry carries the codes
    assert (entry.task_code, entry.activity_code) == ("L120", "A106")


def test_codes_given_at_stop_replace_the_timers(firm, user, ledes_matter, associate):
    timer = timer_start(firm=firm, user=user, timekeeper=associate, matter=ledes_matter, narrative="Call", now=T0)

    entry = timer_stop(timer=timer, actor=user, now=T0 + timedelta(minutes=5), task_code="L130",
                       activity_code="A104")

    assert (entry.task_code, entry.activity_code) == ("L130", "A104")


@pytest.mark.parametrize(("codes", "field", "message"), [
    ({"task_code": "B110"}, "task_code", "B110 is a bankruptcy code; this matter requires litigation"),
    ({"task_code": "L170"}, "task_code", "L170 is not a known UTBMS code"),
    ({"activity_code": "L110"}, "activity_code", "'L110' is not a UTBMS activity code"),
])
def test_timer_start_refuses_codes_the_matter_does_not_take_and_starts_nothing(firm, user, ledes_matter,
                                                                                 associate, codes, field, message):
    with pytest.raises(ValidationFailed) as caught:
        timer_start(firm=firm, user=user, timekeeper=associate, matter=ledes_matter, now=T0, **codes)

    assert (caught.value.field, str(caught.value)) == (field, message)
    assert Timer.objects.count() == 0


def test_timer_stop_refuses_a_bad_code_and_keeps_the_timer(firm, user, ledes_matter, associate):
    timer = timer_start(firm=firm, user=user, timekeeper=associate, matter=ledes_matter, now=T0,
                        task_code="L120")

    with pytest.raises(ValidationFailed):
        timer_stop(timer=timer, actor=user, now=T0 + timedelta(minutes=5), task_code="ZZ9")

    assert Timer.objects.filter(pk=timer.pk, task_code="L120").exists()
    assert TimeEntry.objects.count() == 0
