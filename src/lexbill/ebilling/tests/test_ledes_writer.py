"""LEDES 1998B / 98BI writers on a real issued invoice: golden bytes, exact arithmetic, refusals, profiles."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from lexbill.billing.models import InvoiceLine, LineKind, PreBillLine, TaxRate
from lexbill.core.errors import ValidationFailed
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.profiles import PROFILES
from lexbill.ebilling.ledes.writer import clean, write_98bi, write_1998b
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import check_arithmetic, issued_invoice, ledes_parser_accepts, ledes_rows

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return issued_invoice(firm, matter, partner, associate)


@pytest.mark.parametrize(("writer", "golden"), [(write_1998b, "invoice_1998b.txt"), (write_98bi, "invoice_98bi.txt")])
def test_the_file_matches_the_golden_bytes(invoice, writer, golden):
    data = writer(invoice_document(invoice))
    assert data == (GOLDEN / golden).read_bytes()
    assert check_arithmetic(data) == Decimal("1375.10")


def test_the_1998b_file_passes_ledes_parser(invoice):
    ledes_parser_accepts(write_1998b(invoice_document(invoice)))


def test_the_document_is_read_in_three_queries(invoice, django_assert_num_queries):
    with django_assert_num_queries(3):
        doc = invoice_document(invoice)
    assert (doc.number, doc.total_minor, len(doc.lines)) == ("2026-00001", 137510, 3)


def test_values_are_made_ascii_safe():
    assert clean("Caf\u00e9 \u2019x\u2019 | a [] b\r\nc\u00df") == "Cafe 'x' / a () b css"


def test_a_line_write_down_stays_on_the_line(firm, matter, partner, associate):
    def write_down(prebill):
        fee = prebill.lines.order_by("position").first()
        PreBillLine.objects.filter(pk=fee.pk).update(adjustment_minor=-7500, total_minor=67500)

    invoice = issued_invoice(firm, matter, partner, associate, adjust=write_down)
    r = ledes_rows(write_1998b(invoice_document(invoice)))[0]
    assert (r["LINE_ITEM_NUMBER_OF_UNITS"], r["LINE_ITEM_UNIT_COST"], r["LINE_ITEM_ADJUSTMENT_AMOUNT"],
            r["LINE_ITEM_TOTAL"], r["INVOICE_TOTAL"]) == ("1.5", "500.00", "-75.00", "675.00", "1300.10")


def test_a_sub_cent_rounding_remainder_goes_into_the_adjustment(invoice):
    # 0.1 h x 123.45 = 12.345 -> billed 12.35 (half up): the file says 123.45 x 0.1 + 0.005 = 12.35.
    line = InvoiceLine.objects.filter(invoice=invoice, kind=LineKind.FEE).order_by("position").first()
    doc = invoice_document(invoice)
    odd = replace(doc.lines[0], hours=Decimal("0.1"), rate_minor=12345, total_minor=1235)
    doc = replace(doc, lines=(odd, *doc.lines[1:]), total_minor=doc.total_minor - line.total_minor + 1235)
    data = write_1998b(doc)
    row = ledes_rows(data)[0]
    assert (row["LINE_ITEM_UNIT_COST"], row["LINE_ITEM_NUMBER_OF_UNITS"], row["LINE_ITEM_ADJUSTMENT_AMOUNT"],
            row["LINE_ITEM_TOTAL"]) == ("123.45", "0.1", "0.005", "12.35")
    assert check_arithmetic(data) == Decimal("637.45")
    ledes_parser_accepts(data)


def test_fixed_fee_and_adjustment_lines_are_if_lines_merged_into_one_for_ecounsel(invoice):
    doc = invoice_document(invoice)
    base = doc.lines[0]
    flat = replace(base, position=4, kind=LineKind.FIXED_FEE, hours=None, rate_minor=None, total_minor=100000,
                   narrative="Flat fee")
    discount = replace(base, position=5, kind=LineKind.ADJUSTMENT, hours=None, rate_minor=None,
                       total_minor=-20000, narrative="Discount")
    doc = replace(doc, lines=(*doc.lines, flat, discount), total_minor=doc.total_minor + 80000)
    rows = ledes_rows(write_1998b(doc))
    assert [(r["EXP/FEE/INV_ADJ_TYPE"], r["LINE_ITEM_NUMBER_OF_UNITS"], r["LINE_ITEM_UNIT_COST"],
             r["LINE_ITEM_ADJUSTMENT_AMOUNT"], r["LINE_ITEM_TOTAL"], r["TIMEKEEPER_ID"]) for r in rows[3:]] == [
        ("IF", "1.0", "", "1000.00", "1000.00", ""), ("IF", "1.0", "", "-200.00", "-200.00", "")]
    data = write_1998b(doc, PROFILES["ecounsel"])
    rows = ledes_rows(data)
    assert [(r["EXP/FEE/INV_ADJ_TYPE"], r["LINE_ITEM_TOTAL"], r["LINE_ITEM_DESCRIPTION"]) for r in rows[3:]] == [
        ("IF", "800.00", "Flat fee; Discount")]
    assert check_arithmetic(data) == Decimal("2175.10")


def test_profiles_change_classification_names_and_line_breaks(invoice):
    doc = invoice_document(invoice)
    legacy = write_1998b(doc, replace(PROFILES["legacy"], name_last_first=False))
    assert [(r["TIMEKEEPER_NAME"], r["TIMEKEEPER_CLASSIFICATION"]) for r in ledes_rows(legacy)][:2] == [
        ("Robert Arnsley", "PT"), ("Jane Doe", "AS")]
    assert legacy.count(b"\r\n") == 5
    lf = write_98bi(doc, PROFILES["brightflag"])
    assert b"\r" not in lf and lf.count(b"\n") == 5
    assert ledes_rows(lf)[0]["CLIENT_COUNTRY"] == "US"


def test_a_taxed_invoice_goes_to_98bi_and_is_refused_in_1998b(firm, matter, partner, associate):
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    TaxRate.objects.create(firm=firm, name="City sales tax", rate_ppm=22_500)
    set_firm_settings(firm, tax_method="per_line")
    doc = invoice_document(issued_invoice(firm, matter, partner, associate))
    with pytest.raises(ValidationFailed, match="1998BI"):
        write_1998b(doc)
    data = write_98bi(doc)
    rows = ledes_rows(data)
    # line taxes 6376, 5100, 213 (see billing's tax tests); total 1,491.99
    assert [(r["LINE_ITEM_TAX_TOTAL"], r["LINE_ITEM_TOTAL"], r["LINE_ITEM_TAX_RATE"]) for r in rows] == [
        ("63.76", "813.76", "0.0225"), ("51.00", "651.00", "0.0225"), ("2.13", "27.23", "0.0225")]
    assert (rows[0]["INVOICE_TAX_TOTAL"], rows[0]["INVOICE_NET_TOTAL"], rows[0]["INVOICE_TOTAL"]) == (
        "116.89", "1375.10", "1491.99")
    assert check_arithmetic(data) == Decimal("1491.99")


def test_refusals(invoice, firm, matter):
    doc = invoice_document(invoice)
    with pytest.raises(ValidationFailed, match="law firm id"):
        write_1998b(replace(doc, law_firm_id=""))
    no_id = replace(doc, lines=tuple(replace(x, client_matter_id="") for x in doc.lines))
    with pytest.raises(ValidationFailed, match="client matter id"):
        write_1998b(no_id, PROFILES["brightflag"])
    assert write_1998b(no_id)  # the standard profile allows it
    late = replace(doc, period_end=doc.lines[0].on_date)
    with pytest.raises(ValidationFailed, match="outside the billing period"):
        write_1998b(late, PROFILES["collaborati"])
    with pytest.raises(ValidationFailed, match="not an ISO 3166 country code"):
        write_98bi(replace(doc, client=replace(doc.client, country="ZZ")))
