"""Property: over random real invoices (hours in tenths, rates to the cent, line write-downs, a bill-level
adjustment, tax on the total with one or two rates) the written files' arithmetic always holds and their
INVOICE_TOTAL is the database's total (1998B, 98BI, and XML 2.1 by lexbill's XML checks)."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexbill.billing.models import PreBillStatus, TaxRate
from lexbill.core.money import from_minor
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import assert_round_trip, check_arithmetic, ledes_parser_accepts, written_down_and_issued
from .xml21_helpers import assert_xml_round_trip, check_xml

work_item = st.tuples(st.integers(1, 120), st.integers(0, 30), st.integers(-5000, 0))  # tenths, day, write-down
invoices = st.fixed_dictionaries({
    # One item a day at most 12 h: valid work (a timekeeper's day is at most 24 h).
    "work": st.lists(work_item, min_size=1, max_size=4, unique_by=lambda item: item[1]),
    "rate": st.integers(5_001, 99_999),  # to the cent, mostly not round
    "expense": st.one_of(st.none(), st.integers(1, 500_00)),
    "bill_adjustment": st.integers(-20_000, 0),
    "taxes": st.lists(st.integers(1, 250_000), max_size=2),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=invoices)
def test_written_files_always_add_up_to_the_database_total(firm, matter, partner, case):
    set_firm_settings(firm, ledes_law_firm_id="24-6437381", tax_method="on_total" if case["taxes"] else "none")
    TaxRate.objects.filter(firm=firm).update(is_active=False)
    for n, ppm in enumerate(case["taxes"]):
        TaxRate.objects.create(firm=firm, name=f"Tax {n}", rate_ppm=ppm)
    # A timekeeper of its own for each example: the examples share the test's database, and one person's
    # days would fill up past 24 h over the examples.
    person = factories.make_timekeeper(firm, classification="PT", standard_rate_minor=case["rate"])
    work = [(person, date(2026, 3, 1 + day), str(Decimal(tenths) / 10), "Work") for tenths, day, _ in case["work"]]
    expenses = [(date(2026, 3, 5), "Filing fee", case["expense"], "1")] if case["expense"] else []
    prebill = make_prebill(firm, matter, work=work, expenses=expenses, status=PreBillStatus.APPROVED)
    invoice = written_down_and_issued(firm, matter, prebill, downs=[down for _, _, down in case["work"]],
                                      bill_adjustment=case["bill_adjustment"])
    doc = invoice_document(invoice)
    expected = from_minor(invoice.total_minor, invoice.currency)
    assert check_arithmetic(write_98bi(doc)) == expected
    xml = write_xml21(doc)
    assert check_xml(xml) == expected
    assert_xml_round_trip(invoice, xml)
    assert_round_trip(invoice, write_98bi(doc), with_tax=True)
    if invoice.tax_minor == 0:
        data = write_1998b(doc)
        assert check_arithmetic(data) == expected
        assert_round_trip(invoice, data, with_tax=False)
        if invoice.total_minor >= 0:  # ledes-parser's grammar has no negative INVOICE_TOTAL
            ledes_parser_accepts(data)
