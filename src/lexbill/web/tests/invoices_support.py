"""Givens for the bill-run and invoice page tests: issued invoices with exact figures, users by role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from lexbill.billing.models import Invoice, TaxRate
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.tests.billing_helpers import ISSUED_ON, approved_prebill
from lexbill.clients.models import Matter
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings

NOW = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)


def taxed_invoice(firm: Firm, matter: Matter, partner: Timekeeper, associate: Timekeeper) -> Invoice:
    """Per-line sales taxes on RA 1.5 h x 500.00 + JD 2.0 h x 300.00 + courier 25.10: subtotal 1,375.10;
    state 6.25 % 85.95 + city 2.25 % 30.94 = tax 116.89; total 1,491.99 (numbers 2026-00001...)."""
    set_firm_settings(firm, tax_method="per_line")
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    TaxRate.objects.create(firm=firm, name="City sales tax", rate_ppm=22_500)
    issued = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON, now=NOW)
    assert (issued.subtotal_minor, issued.tax_minor, issued.total_minor) == (137510, 11689, 149199)
    return issued


def plain_invoice(firm: Firm, matter: Matter, timekeeper: Timekeeper, hours: str, issued_on: date,
                  worked_on: date = date(2026, 3, 2)) -> Invoice:
    """One fee line, no tax: hours x the timekeeper's standard rate."""
    prebill = make_prebill(firm, matter, work=[(timekeeper, worked_on, hours, "Review of documents")],
                           status="approved", period_end=issued_on)
    return invoice_issue(prebill=prebill, actor=None, issued_on=issued_on, now=NOW)


def link_user(timekeeper: Timekeeper, user: Any) -> None:
    timekeeper.user = user
    timekeeper.save(update_fields=["user"])
