"""The time grid in a real browser: totals follow an inline edit; Esc leaves the `/` filter (issue #9)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create


@pytest.fixture
def jane(firm, associate):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="jane@arnsley.example", role="attorney", password="correct-horse-42")
    with scopes_disabled():
        Timekeeper.objects.filter(pk=associate.pk).update(user=user)
    return user


def _log_in(page):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/login/")
    page.fill("#id_username", "jane@arnsley.example")
    page.fill("#id_password", "correct-horse-42")
    page.click("button[type=submit]")
    expect(page.locator(".user")).to_contain_text("jane@arnsley.example")


def _entry(firm, matter, timekeeper, on, hours, narrative):  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative=narrative)


@pytest.mark.browser
def test_an_inline_edit_updates_the_totals_without_a_reload(page, firm, jane, matter, associate):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # Given two billable entries, 2.0 h and 1.0 h, at Jane's standard rate of 300.00
    _entry(firm, matter, associate, date(2026, 3, 2), "2.0", "Drafted brief")
    call = _entry(firm, matter, associate, date(2026, 3, 3), "1.0", "Call with client")
    _log_in(page)
    page.goto("/time/")
    expect(page.locator("#total-billable")).to_have_text("3.0")
    expect(page.locator("#total-no-charge")).to_have_text("0.0")
    expect(page.locator(".wip-money")).to_have_text("900.00 USD")
    page.evaluate("window.__notReloaded = true")

    # When she marks the call no-charge in the inline editor and saves
    page.click(f"#entry-{call.pk} .narrative")
    page.select_option(f"#entry-{call.pk} select[name=charge_type]", "no_charge")
    page.click(f"#entry-{call.pk} button[type=submit]")

    # Then the row and the totals change in place, without a reload
    expect(page.locator(f"#entry-{call.pk}")).not_to_have_class(re.compile(r"\bediting\b"))
    expect(page.locator("#total-billable")).to_have_text("2.0")
    expect(page.locator("#total-no-charge")).to_have_text("1.0")
    expect(page.locator(".wip-money")).to_have_text("600.00 USD")
    assert page.evaluate("window.__notReloaded") is True


@pytest.mark.browser
def test_escape_leaves_the_filter_that_slash_opened(page, firm, jane, matter, associate):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    older = _entry(firm, matter, associate, date(2026, 3, 2), "2.0", "Drafted brief")
    newer = _entry(firm, matter, associate, date(2026, 3, 3), "1.0", "Call with client")
    _log_in(page)
    page.goto("/time/")
    expect(page.locator(f"#entry-{newer.pk}")).to_have_class(re.compile(r"\bfocused\b"))

    # When she presses / , types, and thinks better of it with Esc
    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("brief")
    page.keyboard.press("Escape")

    # Then the filter is left, what she typed is gone, and the keys drive the grid again
    expect(page.locator("#id_q")).not_to_be_focused()
    expect(page.locator("#id_q")).to_have_value("")
    page.keyboard.press("j")
    expect(page.locator(f"#entry-{older.pk}")).to_have_class(re.compile(r"\bfocused\b"))
