"""A timekeeper's day in a real browser: log in, time a call, stop it, find it, fix it with the keyboard."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import TimeEntry, Timer
from lexbill.timekeeping.services import time_entry_create


@pytest.fixture
def jane(firm, associate):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney", password="correct-horse-42")
    with scopes_disabled():
        Timekeeper.objects.filter(pk=associate.pk).update(user=user)
    return user


@pytest.mark.browser
def test_timer_to_entry_then_keyboard_edit(page, firm, jane, matter, associate):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    older = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 2),
                              duration=Duration(hours=Decimal("2")), narrative="Older work")

    # Given Jane logs in
    page.goto("/login/")
    page.fill("#id_username", "jane@arnsley.example")
    page.fill("#id_password", "correct-horse-42")
    page.click("button[type=submit]")
    expect(page.locator(".user")).to_contain_text("jane@arnsley.example")

    # When she starts a timer on the Acme matter from the time grid, picking matter and codes by typing
    page.goto("/time/")
    page.locator("#timer_matter").press_sequentially("widget")
    page.locator("[role=option]", has_text="ACME-001 · Acme v. Widget Co.").click()
    expect(page.locator("#timer_matter")).to_have_value("ACME-001")
    page.fill("#timer_narrative", "Call with opposing counsel")
    page.locator("#timer_task_code").press_sequentially("L12")
    expect(page.locator("[role=option]").first).to_contain_text("L120 · Analysis/Strategy")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#timer_task_code")).to_have_value("L120")
    page.locator("#timer_activity_code").press_sequentially("communicate")
    page.locator("[role=option]", has_text="A106").click()
    expect(page.locator("#timer_activity_code")).to_have_value("A106")
    page.click("#timer-start-form button[type=submit]")
    clock = page.locator(".timer.running .timer-clock")
    expect(clock).to_be_visible()
    # the clock counts on in the page, from the server's elapsed seconds
    expect(clock).not_to_have_text(clock.inner_text(), timeout=3_000)
    with scopes_disabled():
        assert Timer.objects.filter(user=jane, matter__number="ACME-001").count() == 1

    # and stops it
    page.click(".timer-stop button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Timer stopped: recorded 0.1 h for JD on ACME-001")

    # Then the new entry is in the grid with its hours and narrative
    with scopes_disabled():
        created = TimeEntry.objects.exclude(pk=older.pk).get()
    assert (created.hours_worked, created.narrative) == (Decimal("0.1"), "Call with opposing counsel")
    assert (created.task_code, created.activity_code) == ("L120", "A106")
    row = page.locator(f"#entry-{created.pk}")
    expect(row).to_be_visible()
    expect(row.locator(".hours-worked")).to_have_text("0.1")
    expect(row.locator(".narrative")).to_have_text("Call with opposing counsel")
    expect(page.locator(".timer.running")).to_have_count(0)

    # When she edits the row with the keyboard only: j/k to it, e to edit, type, Enter to save
    expect(row).to_have_class(re.compile(r"\bfocused\b"))
    page.keyboard.press("j")
    expect(page.locator(f"#entry-{older.pk}")).to_have_class(re.compile(r"\bfocused\b"))
    page.keyboard.press("k")
    expect(row).to_have_class(re.compile(r"\bfocused\b"))
    expect(page.locator(f"#entry-{older.pk}")).not_to_have_class(re.compile(r"\bfocused\b"))
    page.keyboard.press("e")
    narrative = page.locator(f"#entry-{created.pk} textarea[name=narrative]")
    expect(narrative).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Call with opposing counsel re settlement")
    page.keyboard.press("Enter")

    # Then the row is saved and shown read-only again
    saved = page.locator(f"#entry-{created.pk}")
    expect(saved).not_to_have_class(re.compile(r"\bediting\b"))
    expect(saved.locator(".narrative")).to_have_text("Call with opposing counsel re settlement")
    with scopes_disabled():
        created.refresh_from_db()
    assert created.narrative == "Call with opposing counsel re settlement"

    # And Esc on a reopened editor cancels without saving
    page.keyboard.press("e")
    expect(narrative).to_be_focused()
    page.keyboard.type(" (draft)")
    page.keyboard.press("Escape")
    expect(saved).not_to_have_class(re.compile(r"\bediting\b"))
    expect(saved.locator(".narrative")).to_have_text("Call with opposing counsel re settlement")

