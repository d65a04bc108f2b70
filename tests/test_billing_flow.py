"""Issue 3's end-to-end check on the small demo firm, through the real CLI commands:
bill run -> approve all -> issue all -> invoices whose totals are the sums of their lines, numbered without
gaps, and whose PDF text shows the same totals."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner
from django.db.models import Sum

from lexbill.billing.models import Invoice, InvoiceLine, PreBill, PreBillStatus
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.cli.main import _register, cli
from lexbill.core.money import from_minor
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.timekeeping.models import EntryStatus, TimeEntry


def run(*args: str) -> str:
    _register()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


@pytest.mark.slow
@pytest.mark.django_db
def test_small_demo_billrun_approve_issue_pdf(tmp_path):
    demo = demo_create(size="small", seed=5, as_of=date(2026, 6, 30))
    run("billrun", "--through", "2026-06-30", "--json")
    with firm_scope(demo.firm):
        prebills = PreBill.objects.count()
        assert prebills > 20
    run("prebill", "approve", "--all")
    issued = json.loads(run("invoice", "issue", "--all-approved", "--on", "2026-07-01", "--json"))
    assert len(issued) == prebills

    with firm_scope(demo.firm):
        invoices = list(Invoice.objects.order_by("number"))
        # numbered without gaps, in the firm's format
        assert [inv.number for inv in invoices] == [f"2026-{n:05d}" for n in range(1, len(invoices) + 1)]
        assert not PreBill.objects.exclude(status=PreBillStatus.ISSUED).exists()
        for inv in invoices:
            sums = InvoiceLine.objects.filter(invoice=inv).aggregate(total=Sum("total_minor"), tax=Sum("tax_minor"))
            assert inv.subtotal_minor == sums["total"]
            assert inv.tax_minor == (sums["tax"] or 0)
            assert inv.total_minor == inv.subtotal_minor + inv.tax_minor
        # nothing billed twice, and every billed entry is on exactly one invoice line
        billed = TimeEntry.objects.filter(status=EntryStatus.BILLED)
        assert billed.count() == InvoiceLine.objects.filter(time_entry__isnull=False).count()
        # the PDF shows the database's totals
        for inv in invoices[:10]:
            pdf = tmp_path / f"{inv.number}.pdf"
            pdf.write_bytes(invoice_pdf_render(invoice=inv))
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert inv.number in text
            assert f"{from_minor(inv.total_minor, inv.currency):,}" in text
