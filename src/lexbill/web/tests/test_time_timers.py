"""Timers through the pages, on a frozen clock: start, pause, resume, stop -> the entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from lexbill.testing import factories
from lexbill.timekeeping.models import TimeEntry, Timer
from lexbill.timekeeping.services import timer_start
from lexbill.web import views_timers

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in New York, the firm's zone


class Clock:
    def __init__(self, monkeypatch):
        self.now = T0
        monkeypatch.setattr(views_timers, "_now", lambda: self.now)

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def jane(client, firm, associate):
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney")
    with scopes_disabled():
        type(associate).objects.filter(pk=associate.pk).update(user=user)
    client.force_login(user)
    return user


def test_a_timer_runs_pauses_resumes_and_stops_into_an_entry(client, jane, matter, associate, clock):
    response = client.post("/time/timers/start/", {"matter": matter.pk, "narrative": "Call with opposing counsel",
                                                   "timekeeper": associate.pk, "next": "/time/"})
    assert response.status_code == 302 and response["Location"] == "/time/"
    timer = Timer.objects.get()
    assert (timer.user_id, timer.timekeeper_id, timer.started_at, timer.accumulated_seconds) == (
        jane.pk, associate.pk, T0, 0)

    clock.advance(125)
    html = client.get("/time/").content.decode()
    assert 'data-elapsed="125" data-running="1">0:02:05<' in html

    clock.advance(475)  # 600 s in
    client.post(f"/time/timers/{timer.pk}/pause/")
    timer.refresh_from_db()
    assert (timer.started_at, timer.accumulated_seconds) == (None, 600)

    clock.advance(3600)  # a paused timer does not count
    html = client.get("/time/timers/").content.decode()
    assert 'data-elapsed="600" data-running="0">0:10:00<' in html

    client.post(f"/time/timers/{timer.pk}/resume/")
    timer.refresh_from_db()
    assert timer.started_at == clock.now

    clock.advance(500)  # 1,100 s = 18 min 20 s -> 19 started minutes -> 0.4 h at 0.1 h
    response = client.post(f"/time/timers/{timer.pk}/stop/", {"narrative": ""}, follow=True)

    created = TimeEntry.objects.get()
    assert (created.hours_worked, created.narrative, created.worked_on.isoformat(), created.timekeeper_id) == (
        Decimal("0.4"), "Call with opposing counsel", "2026-03-02", associate.pk)
    assert not Timer.objects.exists()
    assert response.redirect_chain[-1] == (f"/time/?highlight={created.pk}#entry-{created.pk}", 302)
    assert [str(m) for m in response.context["messages"]] == [
        "Timer stopped: recorded 0.4 h for JD on ACME-001 — Call with opposing counsel"]
    assert f'id="entry-{created.pk}"' in response.content.decode()


def test_starting_a_second_timer_pauses_the_first(client, jane, matter, associate, clock):
    client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": associate.pk})
    clock.advance(60)
    client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": associate.pk, "narrative": "Second"})

    first, second = Timer.objects.order_by("pk")
    assert (first.started_at, first.accumulated_seconds) == (None, 60)
    assert second.started_at == T0 + timedelta(seconds=60)


def test_the_narrative_typed_at_stop_wins(client, jane, matter, associate, clock):
    client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": associate.pk, "narrative": "Draft"})
    clock.advance(1800)

    client.post(f"/time/timers/{Timer.objects.get().pk}/stop/", {"narrative": "Drafted settlement letter"})

    assert TimeEntry.objects.values_list("narrative", "hours_worked").get() == (
        "Drafted settlement letter", Decimal("0.5"))


def test_stopping_without_any_narrative_keeps_the_timer(client, jane, matter, associate, clock):
    client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": associate.pk})
    clock.advance(300)
    timer = Timer.objects.get()

    response = client.post(f"/time/timers/{timer.pk}/stop/", {"narrative": "  "}, follow=True)

    assert [str(m) for m in response.context["messages"]][-1] == "Timer not stopped: a narrative is required"
    assert Timer.objects.filter(pk=timer.pk, started_at=T0).exists()
    assert not TimeEntry.objects.exists()


def test_an_attorney_cannot_start_a_timer_for_someone_else(client, jane, matter, partner, clock):
    response = client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": partner.pk})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Timer.objects.exists()


def test_billing_chooses_the_timekeeper(client, firm, matter, partner, clock):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))

    html = client.get("/time/timers/").content.decode()
    client.post("/time/timers/start/", {"matter": matter.pk, "timekeeper": partner.pk})

    assert 'name="timekeeper"' in html and "RA · Robert Arnsley" in html
    assert Timer.objects.get().timekeeper_id == partner.pk


def test_someone_elses_timer_is_404(client, firm, jane, matter, partner, clock):
    other = factories.make_user(firm, email="bob@arnsley.example", role="billing")
    theirs = timer_start(firm=firm, user=other, timekeeper=partner, matter=matter, narrative="Theirs", now=T0)

    for action in ("pause", "resume", "stop"):
        assert client.post(f"/time/timers/{theirs.pk}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.started_at == T0
    assert "Theirs" not in client.get("/time/timers/").content.decode()
