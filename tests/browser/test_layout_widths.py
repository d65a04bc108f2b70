"""The main pages at a laptop's 1366 px and a small 800 px window (issue #9, "Done when"): the time grid, a pre-bill's
review page and an invoice page never make the page scroll sideways (a wide table scrolls inside its own box).
Screenshots are kept for people to look at; the test prints where (LEXBILL_SCREENSHOTS, else a new tmp dir)."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import PreBill
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.issue import invoices_issue
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create

AS_OF = date(2026, 6, 30)
PASSWORD = "demo-pass-123"
WIDTHS = (1366, 800)


def _screens_dir() -> Path:
    chosen = os.environ.get("LEXBILL_SCREENSHOTS")
    path = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="lexbill-screens-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.browser
@pytest.mark.slow
def test_grid_prebill_and_invoice_fit_1366_and_800_px(page):  # type: ignore[no-untyped-def]
    result = demo_create(size="small", seed=3, as_of=AS_OF, admin_password=PASSWORD)
    with scopes_disabled(), firm_scope(result.firm):
        run = billrun_run(firm=result.firm, through_on=date(2026, 5, 31), actor=None)
        # The pre-bill with the most lines, and an invoice issued from another one.
        prebills = sorted(PreBill.objects.filter(bill_run=run), key=lambda p: -p.lines.count())
        review, to_issue = prebills[0], prebills[1]
        prebill_approve(prebill=to_issue, actor=None, operator=True)
        invoice = invoices_issue(prebill=to_issue, actor=None, issued_on=date(2026, 6, 5))[0]
    screens = _screens_dir()
    print(f"\nscreenshots in {screens}", file=sys.stderr)

    page.goto("/login/")
    page.fill("#id_username", result.admin_email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    overflowing = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in (("time-grid", "/time/"), ("prebill", f"/prebills/{review.pk}/"),
                          ("invoice", f"/invoices/{invoice.pk}/")):
            page.goto(url)
            page.screenshot(path=str(screens / f"{name}-{width}.png"), full_page=True)
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                overflowing.append(f"{name} at {width} px: page is {scroll_width} px wide")
    assert overflowing == []
    assert sorted(p.name for p in screens.glob("*.png")) == sorted(
        f"{name}-{width}.png" for name in ("time-grid", "prebill", "invoice") for width in WIDTHS)
