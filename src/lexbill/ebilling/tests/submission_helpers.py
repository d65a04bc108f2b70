"""Givens for the submission tests: a real issued invoice of a client that bills through a portal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lexbill.billing.models import Invoice
from lexbill.ebilling.models import Submission
from lexbill.ebilling.services import submission_create
from lexbill.testing.settings_rows import set_client_settings

from .ledes_helpers import issued_invoice

SUBMITTED_ON = date(2026, 4, 3)
SUBMITTED_AT = datetime(2026, 4, 3, 9, 0, tzinfo=UTC)


def portal_invoice(firm, matter, partner, associate, *, deadline_days: int | None = 30) -> Invoice:
    """RA 1.5 h x 500.00 (line 1), JD 2.0 h x 300.00 (line 2), courier 25.10 (line 3): 1375.10, issued
    2 April 2026, for a client on the "Legal Tracker" portal in 1998B, profile standard."""
    client = matter.client
    set_client_settings(client, ebilling_portal="Legal Tracker", ledes_format="1998B", ledes_profile="standard",
                        submission_deadline_days=deadline_days)
    return issued_invoice(firm, matter, partner, associate)


def submitted(firm, matter, partner, associate, **kwargs) -> Submission:
    invoice = portal_invoice(firm, matter, partner, associate, **kwargs)
    return submission_create(invoice=invoice, actor=None, today=SUBMITTED_ON, now=SUBMITTED_AT)
