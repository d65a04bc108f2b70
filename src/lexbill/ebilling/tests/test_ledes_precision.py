"""Every issued invoice exports: no LEDES amount needs more than the format's 4 decimals (issue #8, item 8)."""

from decimal import Decimal

import pytest

from lexbill.billing.models import PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import stated_units, write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import ISSUED_ON, MARCH_3, NOW, check_arithmetic, ledes_rows
from .xml21_helpers import check_xml


@pytest.mark.parametrize(("units", "cost", "stated"), [
    ("1.5", "500.00", "1.5"),  # hours in tenths at a rate to the cent: exact
    ("0.25", "333.33", "0.25"),  # 83.3325: exact at 4 decimals
    ("12.345", "0.67", "12.35"),  # 8.27115 would need 5 decimals
    ("12.344", "0.67", "12.34"),
    ("1.125", "333.33", "1.13"),  # hours in thousandths
    ("2.5", "0.125", "2.5"),  # a currency with 3 decimals: 0.3125 fits
    ("2.555", "0.125", "2.6"),  # 0.319375 would need 6: one decimal of units is left
    ("7.001", "1000", "7.001"),  # a currency without decimals
])
def test_units_are_exact_unless_their_product_needs_more_than_4_decimals(units, cost, stated):
    assert stated_units(Decimal(units), Decimal(cost)) == Decimal(stated)


def test_an_expense_of_12_345_units_at_0_67_exports_in_every_format(firm, matter, partner):
    # Given an issued invoice with an expense of 12.345 units at 0.67 USD (8.27115, billed 8.27)
    set_firm_settings(firm, ledes_law_firm_id="24-6437381")
    prebill = make_prebill(firm, matter, status=PreBillStatus.APPROVED,
                           work=[(partner, MARCH_3, "1.0", "Hearing")],
                           expenses=[(MARCH_3, "Mileage to court", 67, "12.345")])
    invoice = invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    doc = invoice_document(invoice)
    # When it is written in each format, then every file validates and adds up to the invoice's total
    for data in (write_1998b(doc), write_98bi(doc)):
        assert check_arithmetic(data) == Decimal("508.27")
        expense = ledes_rows(data)[1]
        assert (expense["LINE_ITEM_NUMBER_OF_UNITS"], expense["LINE_ITEM_UNIT_COST"],
                expense["LINE_ITEM_ADJUSTMENT_AMOUNT"], expense["LINE_ITEM_TOTAL"]) == (
            "12.35", "0.67", "-0.0045", "8.27")
    xml = write_xml21(doc)
    assert check_xml(xml) == Decimal("508.27")
    assert b"<units>12.35</units>" in xml and b"<item_disc_cred_amount>-0.0045</item_disc_cred_amount>" in xml
