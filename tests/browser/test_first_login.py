"""A first login with a one-time password, in a real browser: the user must choose their own first."""

from __future__ import annotations

import re

import pytest

from lexbill.core.services import user_add


@pytest.mark.browser
def test_a_one_time_password_leads_to_choosing_a_new_one(page, firm):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _, one_time = user_add(firm=firm, email="new@arnsley.example", role="billing")

    page.goto("/login/")
    page.fill("#id_username", "new@arnsley.example")
    page.fill("#id_password", one_time)
    page.click("button[type=submit]")

    expect(page).to_have_url(re.compile(r"/password/$"))
    expect(page.locator("[role=alert]")).to_contain_text("You logged in with a one-time password")
    page.goto("/matters/")
    expect(page).to_have_url(re.compile(r"/password/$"))

    page.fill("#id_old_password", one_time)  # type: ignore[arg-type]
    page.fill("#id_new_password1", "lantern-quay-81")
    page.fill("#id_new_password2", "lantern-quay-81")
    page.click("form.stacked button[type=submit]")

    expect(page.locator(".messages")).to_contain_text("Your password is changed.")
    page.goto("/matters/")
    expect(page.locator("h1")).to_have_text("Matters")
