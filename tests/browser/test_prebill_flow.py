"""A pre-bill in a real browser: the clerk writes a line down and asks a query, the billing attorney (another
browser context) answers and approves, the clerk issues; the invoice equals the reviewed total."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import Invoice, PreBillLine, PreBillQuery
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill


def _login(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "correct-horse-42")
    page.click("button[type=submit]")


@pytest.mark.browser
def test_prebill_review_to_issued_invoice(page, firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    factories.make_user(firm, email="clerk@arnsley.example", role="billing")
    attorney = factories.make_user(firm, email="robert@arnsley.example", role="attorney")
    with scopes_disabled():
        Timekeeper.objects.filter(pk=partner.pk).update(user=attorney)
    # JD 2.0 h x 300.00 = 600.00, RA 1.5 h x 500.00 = 750.00
    prebill = make_prebill(firm, matter, work=[(associate, date(2026, 3, 2), "2.0", "Drafted motion"),
                                               (partner, date(2026, 3, 3), "1.5", "Reviewed motion")])
    with scopes_disabled():
        jd = PreBillLine.objects.filter(prebill=prebill).order_by("position").first()

    # Given the clerk opens the pre-bill
    _login(page, "clerk@arnsley.example")
    page.goto(f"/prebills/{prebill.pk}/")
    expect(page.locator("#total-subtotal")).to_contain_text("1,350.00")

    # When she writes JD's line down by 10 %
    row = page.locator(f"#line-{jd.pk}")
    row.locator("summary").click()
    row.locator(".write-form input[name=value]").fill("10")
    row.locator(".write-form button[type=submit]").click()
    # Then the row and the totals update without a reload
    expect(page.locator(f"#line-{jd.pk} .total")).to_have_text("540.00")
    expect(page.locator("#total-adjustments")).to_have_text("-60.00")
    expect(page.locator("#total-subtotal")).to_contain_text("1,290.00")
    expect(page.locator("#prebill-history")).to_contain_text(f"Wrote line {jd.pk} down 10 % (\u221260.00)")

    # And she asks the lawyer a query about the line
    row = page.locator(f"#line-{jd.pk}")
    row.locator("summary").click()
    row.locator(".query-form input[name=question]").fill("Is 2.0 h right for the motion?")
    row.locator(".query-form button[type=submit]").click()
    expect(page.locator("#prebill-queries")).to_contain_text("Is 2.0 h right for the motion?")
    # and the line shows its open query (issue #9 item 4)
    expect(page.locator(f"#line-{jd.pk} .query-open")).to_have_text("? Query open: Is 2.0 h right for the motion?")
    with scopes_disabled():
        query = PreBillQuery.objects.get(prebill=prebill)

    # When the billing attorney, in his own browser, answers it and approves
    lawyer = page.context.browser.new_context(base_url=page.url.split("/prebills/")[0])
    lawyer_page = lawyer.new_page()
    _login(lawyer_page, "robert@arnsley.example")
    lawyer_page.goto("/approvals/")
    lawyer_page.click(f"#approval-{prebill.pk} a")
    # approving with the query open is refused (unless overridden with a reason)
    lawyer_page.click("#approve-button")
    expect(lawyer_page.locator("#bill-error")).to_contain_text("has 1 open query")
    expect(lawyer_page.locator("#prebill-status")).to_have_text("Draft")
    lawyer_page.fill(f"#query-{query.pk} input[name=answer]", "Yes: a long motion")
    lawyer_page.click(f"#query-{query.pk} button[type=submit]")
    expect(lawyer_page.locator(f"#query-{query.pk} .answer-text")).to_have_text("Yes: a long motion")
    expect(lawyer_page.locator(f"#line-{jd.pk} .query-open")).to_have_count(0)
    lawyer_page.click("#approve-button")
    expect(lawyer_page.locator("#prebill-status")).to_have_text("Approved")
    expect(lawyer_page.locator("#prebill-approved")).to_contain_text("by robert@arnsley.example")
    lawyer.close()

    # Then the clerk sees the answer and issues the invoice
    page.reload()
    expect(page.locator(f"#query-{query.pk} .answer-text")).to_have_text("Yes: a long motion")
    reviewed_total = page.locator("#total-subtotal strong").inner_text()
    assert reviewed_total == "1,290.00"
    page.click("#issue-button")
    with scopes_disabled():
        invoice = Invoice.objects.get(prebill=prebill)
    page.wait_for_url(f"**/invoices/{invoice.pk}/")
    # And the invoice in the database is the total reviewed on the page (no tax configured)
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (129000, 0, 129000)
    assert f"{invoice.total_minor // 100:,}.{invoice.total_minor % 100:02d}" == reviewed_total
