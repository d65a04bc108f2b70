"""LEDES XML 2.1 over many real invoices: every issued invoice of the small demo firm, and random invoices
(hours in tenths, odd rates, write-downs, a bill-level adjustment, one or two taxes), write XML that lexbill's
validator passes and that reads back to the database's numbers to the cent."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from lexbill.billing.models import Invoice, LineKind, PreBillLine, PreBillStatus, TaxRate
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.money import from_minor
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.staff.models import Timekeeper
from lexbill.testing.billing import make_prebill

from .ledes_helpers import ISSUED_ON, NOW
from .test_ledes_writer_demo import _run
from .test_ledes_writer_property import invoices
from .xml21_helpers import assert_xml_round_trip, check_xml


@pytest.mark.slow
@pytest.mark.django_db
def test_every_small_demo_invoice_writes_valid_xml():
    demo = demo_create(size="small", seed=5, as_of=date(2026, 6, 30))
    _run("billrun", "--through", "2026-06-30", "--json")
    _run("prebill", "approve", "--all")
    _run("invoice", "issue", "--all-approved", "--on", "2026-07-01", "--json")
    with firm_scope(demo.firm):
        if not demo.firm.ledes_law_firm_id:
            demo.firm.ledes_law_firm_id = "24-6437381"
            demo.firm.save()
        all_invoices = list(Invoice.objects.order_by("number"))
        assert len(all_invoices) > 20
        for inv in all_invoices:
            data = write_xml21(invoice_document(inv))
            assert check_xml(data) == from_minor(inv.total_minor, inv.currency), inv.number
            assert_xml_round_trip(inv, data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=invoices)
def test_xml_always_adds_up_to_the_database_total(firm, matter, partner, case):
    firm.ledes_law_firm_id = "24-6437381"
    firm.tax_method = "on_total" if case["taxes"] else "none"
    firm.save()
    TaxRate.objects.filter(firm=firm).update(is_active=False)
    for n, ppm in enumerate(case["taxes"]):
        TaxRate.objects.create(firm=firm, name=f"Tax {n}", rate_ppm=ppm)
    Timekeeper.objects.filter(pk=partner.pk).update(standard_rate_minor=case["rate"])
    partner.refresh_from_db()
    work = [(partner, date(2026, 3, 1 + day), str(Decimal(tenths) / 10), "Work") for tenths, day, _ in case["work"]]
    expenses = [(date(2026, 3, 5), "Filing fee", case["expense"], "1")] if case["expense"] else []
    prebill = make_prebill(firm, matter, work=work, expenses=expenses, status=PreBillStatus.APPROVED)
    fees = list(prebill.lines.filter(kind=LineKind.FEE).order_by("position"))
    for line, (_, _, down) in zip(fees, case["work"], strict=True):
        down = max(down, -line.base_minor)
        PreBillLine.objects.filter(pk=line.pk).update(adjustment_minor=down, total_minor=line.base_minor + down)
    if case["bill_adjustment"]:
        PreBillLine.objects.create(firm=firm, prebill=prebill, position=99, kind=LineKind.ADJUSTMENT, matter=matter,
                                   on_date=date(2026, 3, 31), base_minor=0,
                                   adjustment_minor=case["bill_adjustment"], total_minor=case["bill_adjustment"],
                                   narrative="Courtesy discount")
    invoice = invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    data = write_xml21(invoice_document(invoice))
    assert check_xml(data) == from_minor(invoice.total_minor, invoice.currency)
    assert_xml_round_trip(invoice, data)
