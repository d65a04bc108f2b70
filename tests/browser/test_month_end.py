"""A month-end of the small demo firm entirely in the browser (issue #9, "Done when"): the billing clerk runs the
bill run, asks a query on a line, the billing attorney answers it in his own browser, and the clerk approves the
run's pre-bills in bulk, issues them in bulk with a chosen invoice date, sends them in bulk to a real local SMTP
server (aiosmtpd) and downloads their ZIP, whose PDFs are the stored documents and read the database's figures."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import BillRun, Invoice, InvoiceDocument, PreBill, PreBillQuery, PreBillStatus
from lexbill.clients.models import Client, ClientContact
from lexbill.core.models import Role
from lexbill.core.money import format_money
from lexbill.core.services import user_add
from lexbill.demo.generator import demo_create

AS_OF = date(2026, 6, 30)
THROUGH = date(2026, 5, 31)
INVOICE_DATE = "2026-06-05"
PASSWORD = "demo-pass-123"
CLERK = "clerk@demo.lexbill.test"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _login(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def _client_to_bill() -> Client:
    """A demo client whose billing contacts have addresses and whose matters' billing attorneys have logins,
    with the fewest matters (a short run that still makes several invoices)."""
    with scopes_disabled():
        for client in Client.objects.order_by("code"):
            matters = list(client.matters.select_related("billing_attorney__user"))
            has_contact = ClientContact.objects.filter(client=client, is_billing_contact=True).exclude(email="").exists()
            if has_contact and 2 <= len(matters) <= 4 and all(m.billing_attorney.user for m in matters):
                return client
    raise AssertionError("the small demo has no client to bill")


@pytest.mark.browser
@pytest.mark.slow
def test_month_end_of_the_small_demo_firm_in_the_browser(page, smtp, settings, tmp_path):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    settings.TASKS = IMMEDIATE  # bill runs and bulk jobs run on commit, as a worker would run them
    result = demo_create(size="small", seed=3, as_of=AS_OF, admin_password=PASSWORD)
    with scopes_disabled():
        user_add(firm=result.firm, email=CLERK, role=Role.BILLING, password=PASSWORD)
    client = _client_to_bill()

    # Given the billing clerk starts the month's bill run for one client
    _login(page, CLERK)
    page.goto("/billruns/")
    page.fill("#id_through_on", THROUGH.isoformat())
    page.fill("#id_client", client.code)
    page.click(".billrun-form button[type=submit]")
    expect(page.locator("#billrun-progress .billrun-status")).to_contain_text("Done")
    with scopes_disabled():
        run = BillRun.objects.get()
        prebills = list(PreBill.objects.filter(bill_run=run).order_by("pk"))
        first = prebills[0]
        line = first.lines.filter(is_current=True).order_by("position").first()
        attorney = (first.matter or line.matter).billing_attorney.user
    assert len(prebills) >= 2 and line is not None

    # When she opens a pre-bill and asks a query on a line
    page.goto(f"/prebills/{first.pk}/")
    row = page.locator(f"#line-{line.pk}")
    row.locator("summary").click()
    row.locator(".query-form input[name=question]").fill("Is this time right?")
    row.locator(".query-form button[type=submit]").click()
    expect(page.locator("#prebill-queries")).to_contain_text("Is this time right?")
    with scopes_disabled():
        query = PreBillQuery.objects.get(prebill=first)

    # And the billing attorney answers it in his own browser
    lawyer = page.context.browser.new_context(base_url=page.url.split("/prebills/")[0])
    lawyer_page = lawyer.new_page()
    _login(lawyer_page, attorney.email)
    lawyer_page.goto(f"/prebills/{first.pk}/")
    lawyer_page.fill(f"#query-{query.pk} input[name=answer]", "Yes, checked against my notes")
    lawyer_page.click(f"#query-{query.pk} button[type=submit]")
    expect(lawyer_page.locator(f"#query-{query.pk} .answer-text")).to_have_text("Yes, checked against my notes")
    lawyer.close()

    # And the clerk approves all of the run's pre-bills at once
    page.goto(f"/billruns/{run.pk}/")
    page.click("#bulk-run button[value=approve]")
    expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "done")
    expect(page.locator(".bulk-counts")).to_contain_text(f"{len(prebills)} succeeded · 0 failed")
    with scopes_disabled():
        assert set(PreBill.objects.filter(bill_run=run).values_list("status", flat=True)) == {PreBillStatus.APPROVED}

    # And issues them with a chosen invoice date
    page.goto(f"/billruns/{run.pk}/")
    page.fill("#bulk-run-issued-on", INVOICE_DATE)
    page.click("#bulk-run button[value=issue]")
    expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "done")
    expect(page.locator(".bulk-counts")).to_contain_text("0 failed")
    with scopes_disabled():
        invoices = list(Invoice.objects.filter(prebill__bill_run=run).select_related("client").order_by("number"))
        contacts = sorted(ClientContact.objects.filter(client=client, is_billing_contact=True).exclude(email="")
                          .values_list("email", flat=True))
    assert len(invoices) >= len(prebills)
    assert {i.issued_on for i in invoices} == {date.fromisoformat(INVOICE_DATE)}

    # And sends them by email
    page.goto(f"/billruns/{run.pk}/")
    page.click("#bulk-run button[value=send]")
    expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "done")
    expect(page.locator(".bulk-counts")).to_contain_text(f"{len(invoices)} succeeded · 0 failed")

    # Then every invoice arrived at the client's billing contacts with its PDF, as stored
    assert len(smtp.received) == len(invoices)
    for invoice, received in zip(invoices, smtp.received, strict=True):
        assert sorted(received.rcpt_tos) == contacts
        assert invoice.number in str(received.message["Subject"])
        parts = [(p.get_filename(), p.get_payload(decode=True)) for p in received.message.iter_attachments()]
        with scopes_disabled():
            stored = bytes(InvoiceDocument.objects.get(invoice=invoice).content)
        assert parts == [(f"invoice-{invoice.number}.pdf", stored)]

    # When she downloads the run's invoices as one ZIP
    page.goto(f"/billruns/{run.pk}/")
    page.click("#bulk-run button[value=zip]")
    expect(page.locator("#bulk-progress")).to_have_attribute("data-status", "done")
    with page.expect_download() as download_info:
        page.click("#bulk-zip")
    target = tmp_path / "invoices.zip"
    download_info.value.save_as(target)

    # Then its PDFs are the stored documents, and each reads its invoice's number and total
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    for invoice in invoices:
        with scopes_disabled():
            stored = bytes(InvoiceDocument.objects.get(invoice=invoice).content)
        pdf = archive.read(f"{invoice.number}.pdf")
        assert pdf == stored
        text = _pdftotext(pdf, tmp_path / f"{invoice.number}.pdf")
        assert invoice.number in text
        assert format_money(invoice.total_minor, invoice.currency) in text
    assert "manifest.csv" in archive.namelist()


def _pdftotext(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
