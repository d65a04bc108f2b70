"""Every invoice of the small demo firm (bill run -> approve -> issue) exports to 1998B and 98BI files whose
arithmetic holds, whose INVOICE_TOTAL is the database's, and which ledes-parser accepts (1998B); and to XML 2.1
that lexbill's validator passes and that reads back to the database's numbers to the cent."""

from datetime import date

import pytest
from click.testing import CliRunner

from lexbill.billing.models import Invoice
from lexbill.cli.main import _register, cli
from lexbill.core.money import from_minor
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.ebilling.models import firm_ebilling_settings
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import check_arithmetic, ledes_parser_accepts
from .xml21_helpers import assert_xml_round_trip, check_xml


def _run(*args: str) -> None:
    _register()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.slow
@pytest.mark.django_db
def test_every_small_demo_invoice_exports_to_both_formats():
    demo = demo_create(size="small", seed=5, as_of=date(2026, 6, 30))
    _run("billrun", "--through", "2026-06-30", "--json")
    _run("prebill", "approve", "--all")
    _run("invoice", "issue", "--all-approved", "--on", "2026-07-01", "--json")
    with firm_scope(demo.firm):
        if not firm_ebilling_settings(demo.firm).ledes_law_firm_id:
            set_firm_settings(demo.firm, ledes_law_firm_id="24-6437381")
        invoices = list(Invoice.objects.order_by("number"))
        assert len(invoices) > 20
        for inv in invoices:
            doc = invoice_document(inv)
            expected = from_minor(inv.total_minor, inv.currency)
            assert check_arithmetic(write_98bi(doc)) == expected, inv.number
            xml = write_xml21(doc)
            assert check_xml(xml) == expected, inv.number
            assert_xml_round_trip(inv, xml)
            if inv.tax_minor == 0:
                data = write_1998b(doc)
                assert check_arithmetic(data) == expected, inv.number
                ledes_parser_accepts(data)
