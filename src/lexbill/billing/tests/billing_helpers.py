"""Shared givens for the approval, issue and credit-note tests."""

from datetime import date

from lexbill.billing.models import PreBillStatus
from lexbill.testing.billing import make_prebill

MARCH_2 = date(2026, 3, 2)
MARCH_3 = date(2026, 3, 3)
ISSUED_ON = date(2026, 4, 2)


def approved_prebill(firm, matter, partner, associate, **fields):
    """RA 1.5 h x 500.00 = 750.00; JD 2.0 h x 300.00 = 600.00; courier 25.10. Subtotal 1,375.10."""
    fields.setdefault("status", PreBillStatus.APPROVED)
    return make_prebill(firm, matter,
                        work=[(partner, MARCH_2, "1.5", "Draft motion to compel"),
                              (associate, MARCH_3, "2.0", "Research on privilege log")],
                        expenses=[(MARCH_3, "Courier to court", 2510, "1")], **fields)
