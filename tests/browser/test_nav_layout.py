"""The main navigation fits one line at 1366 px (issue #9, layout), for the role with the most links (an
admin of two firms, whose bar also holds the firm switcher), and its menus open and lead to their pages."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled

from lexbill.core.services import user_add
from lexbill.testing import factories


@pytest.fixture
def admin_of_two_firms(firm):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="administrator.of.two@arnsley.example", role="admin")
    with scopes_disabled():
        second = factories.make_firm("Zephyr Legal Services International", slug="zephyr")
    user_add(firm=second, email=user.email, role="admin")
    return user


@pytest.mark.browser
def test_the_nav_is_one_line_at_1366_px_and_its_menus_work(page, admin_of_two_firms):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/login/")
    page.fill("#id_username", "administrator.of.two@arnsley.example")
    page.fill("#id_password", "correct-horse-42")
    page.click("button[type=submit]")
    expect(page.locator("#firm-switch")).to_be_visible()

    # Every top-level item of the bar sits on the same line, and the bar is one line high
    items = page.locator(".mainnav > a, .mainnav > details > summary")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    labels = [items.nth(i).inner_text().strip() for i in range(items.count())]
    assert labels == ["Home", "Time", "Billing", "E-billing", "Records", "Settings"]
    tops = {round(box["y"]) for box in boxes if box}
    assert len(tops) == 1, boxes
    line = max(box["height"] for box in boxes if box)
    bar = page.locator(".topbar").bounding_box()
    assert bar is not None and bar["height"] < 2 * line + 24, (bar, line)  # padding, never a second row
    who = page.locator(".who").bounding_box()
    assert who is not None and round(who["y"] + who["height"] / 2) == round(boxes[0]["y"] + boxes[0]["height"] / 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # A menu opens below the bar, one at a time, and its link leads to the page
    page.click("#nav-records summary")
    expect(page.locator("#nav-records .navmenu a", has_text="Matters")).to_be_visible()
    page.click("#nav-billing summary")
    expect(page.locator("#nav-records .navmenu")).to_be_hidden()
    page.locator("#nav-billing .navmenu a", has_text="Bill runs").click()
    expect(page).to_have_url(re.compile(r"/billruns/$"))
    expect(page.locator("input[name=through_on]")).to_be_visible()
    page.click("#nav-settings summary")
    page.locator("#nav-settings .navmenu a", has_text="Users").click()
    expect(page.locator("h1")).to_have_text("Users")
