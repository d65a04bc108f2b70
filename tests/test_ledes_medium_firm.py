"""Issue 4's check on the medium demo firm: every invoice (split matters' payor invoices included) exports to
LEDES 1998B and 98BI files that pass lexbill's validator, the independent PyPI `ledes-parser` grammar (1998B),
and a round trip (write -> read -> the database's numbers to the cent); and to XML 2.1 that passes lexbill's
XML checks."""

from __future__ import annotations

from datetime import date

import pytest

from lexbill.billing.models import Invoice, PreBill
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.issue import invoices_issue
from lexbill.core.money import from_minor
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.validator import has_errors, validate
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.ebilling.tests.ledes_helpers import assert_round_trip, check_arithmetic, ledes_parser_accepts
from lexbill.testing.settings_rows import set_firm_settings

AS_OF = date(2026, 6, 30)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_medium_firm_invoice_exports_to_valid_ledes():
    demo = demo_create(size="medium", seed=1, as_of=AS_OF)
    firm = demo.firm
    with firm_scope(firm):
        set_firm_settings(firm, ledes_law_firm_id="24-6437381")
        billrun_run(firm=firm, through_on=AS_OF, actor=None)
        for prebill in PreBill.objects.select_related("firm", "client", "matter").order_by("pk"):
            prebill_approve(prebill=prebill, actor=None, operator=True)
            invoices_issue(prebill=prebill, actor=None, issued_on=date(2026, 7, 1))
        invoices = list(Invoice.objects.select_related("client", "matter").order_by("number"))
        assert len(invoices) > 500
        # The demo's split matters give one invoice per payor; they are among those checked.
        assert sum(1 for invoice in invoices if invoice.payor_share_bp is not None) >= 30
        for invoice in invoices:
            document = invoice_document(invoice)
            for data, with_tax in ((write_1998b(document), False), (write_98bi(document), True)):
                assert check_arithmetic(data) == from_minor(invoice.total_minor, invoice.currency), invoice.number
                assert_round_trip(invoice, data, with_tax=with_tax)
            if invoice.total_minor >= 0:  # ledes-parser's grammar has no negative INVOICE_TOTAL
                ledes_parser_accepts(write_1998b(document))
            xml = write_xml21(document)
            assert not has_errors(validate(xml)), invoice.number
