"""LEDES XML 2.1 writer on a real issued invoice: every element and its order, exact arithmetic, taxes,
adjustments as matter_disc_cred, profiles and refusals."""

from dataclasses import replace
from decimal import Decimal

import pytest

from lexbill.billing.models import LineKind, PreBillLine, TaxRate
from lexbill.core.errors import ValidationFailed
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.formats import FORMATS
from lexbill.ebilling.ledes.profiles import PROFILES
from lexbill.ebilling.ledes.writer import WRITERS
from lexbill.ebilling.ledes.xml21 import text, write_xml21
from lexbill.ebilling.ledes.xml21_spec import NAMESPACE, SEGMENTS
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import issued_invoice
from .xml21_helpers import assert_xml_round_trip, check_xml, root_of, segments, values

INVOICE = "firm/client/invoice"
MATTER = f"{INVOICE}/matter"


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return issued_invoice(firm, matter, partner, associate)


def test_every_writer_has_a_format_name():
    assert tuple(WRITERS) == FORMATS == ("1998B", "1998BI", "XML2.1")


def test_the_file_is_utf8_xml_with_the_21_root(invoice):
    data = write_xml21(invoice_document(invoice))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<ledesxmlebilling2.1 xmlns=")
    assert root_of(data).tag == f"{{{NAMESPACE}}}ledesxmlebilling2.1"
    # UTF-8 is kept (unlike 1998B), but a narrative's line break is folded.
    assert "\u2019urgent\u2019" in data.decode("utf-8") and "Research on privilege log" in data.decode()


def test_firm_client_and_invoice_elements_in_order(invoice):
    data = write_xml21(invoice_document(invoice))
    (firm,) = segments(data, "firm")
    assert values(firm) == [("lf_vendor_id", "24-6437381"), ("lf_id", "24-6437381"),
                            ("lf_name", "Arnsley & Partners LLP"), ("source_app", "lexbill"),
                            ("app_version", values(firm)[4][1]), ("file_item_nbr", "1")]
    (client,) = segments(data, "firm/client")
    assert values(client) == [("cl_id", "ACME"), ("cl_lf_id", "ACME"), ("cl_name", "Acme Corp"),
                              ("file_item_nbr", "3")]
    assert values(client.find(f"{{{NAMESPACE}}}cl_address")) == [("country", "USA"), ("file_item_nbr", "2")]
    (inv,) = segments(data, INVOICE)
    assert values(inv) == [
        ("inv_id", "2026-00001"), ("inv_date", "2026-04-02"), ("inv_due_date", "2026-05-02"), ("inv_currency", "USD"),
        ("inv_start_date", "2026-03-02"), ("inv_end_date", "2026-03-31"),
        ("inv_desc", "Legal services: Acme v. Widget Co."), ("inv_total_tax", "0.00"),
        ("inv_total_net_due", "1375.10"), ("file_item_nbr", "4")]


def test_matter_timekeepers_fees_and_expense(invoice):
    data = write_xml21(invoice_document(invoice))
    (matter,) = segments(data, MATTER)
    assert values(matter) == [
        ("cl_matter_id", "423-987"), ("lf_matter_id", "ACME-001"), ("matter_name", "Acme v. Widget Co."),
        ("account_type", "O"), ("matter_final_bill", "N"), ("matter_total_detail_fees", "1350.00"),
        ("matter_total_detail_exp", "25.10"), ("matter_disc_credit_fees", "0.00"), ("matter_disc_credit_exp", "0.00"),
        ("matter_disc_cred_total", "0.00"), ("matter_perc_shar_fees", "100"), ("matter_perc_shar_exp", "100"),
        ("matter_tax_on_fees", "0.00"), ("matter_tax_on_exp", "0.00"), ("matter_net_fees", "1350.00"),
        ("matter_net_exp", "25.10"), ("matter_total_due", "1375.10"), ("file_item_nbr", "5")]
    assert [values(tk) for tk in segments(data, f"{MATTER}/tk_sum")] == [
        [("tk_id", "RA"), ("tk_lname", "Arnsley"), ("tk_fname", "Robert"), ("tk_level", "PARTNR"),
         ("tk_rate", "500.00"), ("file_item_nbr", "6")],
        [("tk_id", "JD"), ("tk_lname", "Doe"), ("tk_fname", "Jane"), ("tk_level", "ASSOC"), ("tk_rate", "300.00"),
         ("file_item_nbr", "7")]]
    first_fee = values(segments(data, f"{MATTER}/fee")[0])
    assert first_fee == [
        ("charge_date", "2026-03-02"), ("tk_id", "RA"), ("tk_level", "PARTNR"),
        ("charge_desc", "Draft motion to compel | reply [] \u2019urgent\u2019"), ("task_code", "L120"),
        ("task_activity", "A104"), ("charge_type", "U"), ("units", "1.5"), ("rate", "500.00"),
        ("base_amount", "750.00"), ("item_disc_cred_amount", "0.00"), ("total_amount", "750.00"),
        ("file_item_nbr", "8")]
    (expense,) = segments(data, f"{MATTER}/expense")
    assert values(expense) == [
        ("charge_date", "2026-03-03"), ("charge_desc", "Courier to court"), ("expense_code", "E101"),
        ("charge_type", "U"), ("units", "1.0"), ("rate", "25.10"), ("base_amount", "25.10"),
        ("item_disc_cred_amount", "0.00"), ("total_amount", "25.10"), ("file_item_nbr", "10")]
    assert check_xml(data) == Decimal("1375.10")
    assert_xml_round_trip(invoice, data)


def test_element_order_follows_the_spec_table_everywhere(invoice):
    root = root_of(write_xml21(invoice_document(invoice)))
    numbers = []
    for element in root.iter():
        tag = element.tag.removeprefix(f"{{{NAMESPACE}}}")
        if tag == "file_item_nbr":
            numbers.append(int(element.text or ""))
        if tag in SEGMENTS:
            order = [e.name for e in SEGMENTS[tag]]
            children = [c.tag.removeprefix(f"{{{NAMESPACE}}}") for c in element]
            assert children == sorted(children, key=order.index), tag
    assert numbers == list(range(1, len(numbers) + 1))  # unique and rising down the file


def test_write_down_and_sub_cent_remainder_sit_in_item_disc_cred_amount(invoice):
    doc = invoice_document(invoice)
    # 0.1 h x 123.45 = 12.345, billed 12.35; and a 75.00 write-down on the second fee.
    odd = replace(doc.lines[0], hours=Decimal("0.1"), rate_minor=12345, total_minor=1235)
    down = replace(doc.lines[1], total_minor=52500)
    doc = replace(doc, lines=(odd, down, doc.lines[2]), total_minor=1235 + 52500 + 2510)
    data = write_xml21(doc)
    fees = [dict(values(f)) for f in segments(data, f"{MATTER}/fee")]
    assert [(f["units"], f["rate"], f["base_amount"], f["item_disc_cred_amount"], f["total_amount"]) for f in fees] == [
        ("0.1", "123.45", "12.345", "0.005", "12.35"), ("2.0", "300.00", "600.00", "-75.00", "525.00")]
    assert check_xml(data) == Decimal("562.45")


def test_bill_level_adjustments_are_matter_disc_cred(firm, matter, partner, associate):
    def discount(prebill):
        PreBillLine.objects.create(firm=firm, prebill=prebill, position=99, kind=LineKind.ADJUSTMENT, matter=matter,
                                   on_date=prebill.period_end, base_minor=0, adjustment_minor=-10000,
                                   total_minor=-10000, narrative="Courtesy discount")

    invoice = issued_invoice(firm, matter, partner, associate, adjust=discount)
    data = write_xml21(invoice_document(invoice))
    (credit,) = segments(data, f"{MATTER}/matter_disc_cred")
    assert values(credit) == [("disc_cred", "MIA"), ("disc_cred_category", "Fee"), ("increase_decrease", "Decrease"),
                              ("disc_cred_amount", "-100.00"), ("file_item_nbr", "6")]
    matter_values = dict(values(segments(data, MATTER)[0]))
    assert (matter_values["matter_disc_credit_fees"], matter_values["matter_disc_cred_total"],
            matter_values["matter_net_fees"], matter_values["matter_total_due"]) == (
        "-100.00", "-100.00", "1250.00", "1275.10")
    assert check_xml(data) == Decimal("1275.10")
    assert_xml_round_trip(invoice, data)


def test_taxes_per_invoice_and_per_line(firm, matter, partner, associate):
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    TaxRate.objects.create(firm=firm, name="City sales tax", rate_ppm=22_500)
    set_firm_settings(firm, tax_method="per_line")
    invoice = issued_invoice(firm, matter, partner, associate)
    data = write_xml21(invoice_document(invoice))
    assert [values(t) for t in segments(data, f"{INVOICE}/tax")] == [
        [("tax_type", "City sales tax"), ("tax_rate_percent", "2.25"), ("tax_on_charge", "30.94"),
         ("file_item_nbr", "5")],
        [("tax_type", "State sales tax"), ("tax_rate_percent", "6.25"), ("tax_on_charge", "85.95"),
         ("file_item_nbr", "6")]]
    # Two taxes: each line carries its share of both, without one rate (which would misstate it).
    line_taxes = [values(t) for t in segments(data, f"{MATTER}/fee/tax") + segments(data, f"{MATTER}/expense/tax")]
    assert [v[:2] for v in line_taxes] == [[("tax_type", "City sales tax + State sales tax"),
                                           ("tax_on_charge", amount)] for amount in ("63.76", "51.00", "2.13")]
    inv = dict(values(segments(data, INVOICE)[0]))
    assert (inv["inv_total_tax"], inv["inv_total_net_due"]) == ("116.89", "1491.99")
    matter_values = dict(values(segments(data, MATTER)[0]))
    assert (matter_values["matter_tax_on_fees"], matter_values["matter_tax_on_exp"],
            matter_values["matter_total_due"]) == ("114.76", "2.13", "1491.99")
    assert check_xml(data) == Decimal("1491.99")
    assert_xml_round_trip(invoice, data)


def test_one_tax_gives_each_line_its_rate(firm, matter, partner, associate):
    TaxRate.objects.create(firm=firm, name="VAT", rate_ppm=200_000)
    set_firm_settings(firm, tax_method="per_line")
    invoice = issued_invoice(firm, matter, partner, associate)
    data = write_xml21(invoice_document(invoice))
    first = values(segments(data, f"{MATTER}/fee/tax")[0])
    assert first[:3] == [("tax_type", "VAT"), ("tax_rate_percent", "20"), ("tax_on_charge", "150.00")]
    assert check_xml(data) == Decimal("1650.12")
    assert_xml_round_trip(invoice, data)


def test_profiles_legacy_levels_and_ecounsel_single_credit(invoice):
    doc = invoice_document(invoice)
    legacy = write_xml21(doc, PROFILES["legacy"])
    assert [dict(values(f))["tk_level"] for f in segments(legacy, f"{MATTER}/fee")] == ["PT", "AS"]
    base = doc.lines[0]
    flat = replace(base, position=4, kind=LineKind.FIXED_FEE, hours=None, rate_minor=None, total_minor=100000,
                   narrative="Flat fee")
    discount = replace(base, position=5, kind=LineKind.ADJUSTMENT, hours=None, rate_minor=None, total_minor=-20000,
                       narrative="Discount")
    doc = replace(doc, lines=(*doc.lines, flat, discount), total_minor=doc.total_minor + 80000)
    both = [dict(values(c)) for c in segments(write_xml21(doc), f"{MATTER}/matter_disc_cred")]
    assert [(c["increase_decrease"], c["disc_cred_amount"]) for c in both] == [("Increase", "1000.00"),
                                                                                ("Decrease", "-200.00")]
    merged = write_xml21(doc, PROFILES["ecounsel"])
    assert [dict(values(c))["disc_cred_amount"] for c in segments(merged, f"{MATTER}/matter_disc_cred")] == ["800.00"]
    assert check_xml(merged) == Decimal("2175.10")


def test_refusals_are_the_98b_ones(invoice):
    doc = invoice_document(invoice)
    with pytest.raises(ValidationFailed, match="law firm id"):
        write_xml21(replace(doc, law_firm_id=""))
    no_id = replace(doc, lines=tuple(replace(x, client_matter_id="") for x in doc.lines))
    with pytest.raises(ValidationFailed, match="client matter id"):
        write_xml21(no_id, PROFILES["brightflag"])
    assert b"<cl_matter_id>" not in write_xml21(no_id)  # optional when the profile allows it
    with pytest.raises(ValidationFailed, match="outside the billing period"):
        write_xml21(replace(doc, period_end=doc.lines[0].on_date), PROFILES["collaborati"])


def test_text_drops_what_xml_cannot_carry():
    assert text("a\x00b\x1f c\r\n\td \u00e9\u2019") == "ab c d \u00e9\u2019"


def test_the_firm_address_carries_its_country_from_the_issued_snapshot(firm, matter, partner, associate):
    # Given a firm in Boston, US, whose invoice is issued; then the firm moves to Germany
    firm.address_line1, firm.address_line2, firm.city, firm.region, firm.postcode, firm.country = (
        "100 Federal Street", "", "Boston", "MA", "02110", "US")
    firm.save()
    invoice = issued_invoice(firm, matter, partner, associate)
    firm.city, firm.country = "Berlin", "DE"
    firm.save()
    # When the invoice is written as XML 2.1 (default and Brightflag's two-letter countries)
    data = write_xml21(invoice_document(invoice))
    brightflag = write_xml21(invoice_document(invoice), PROFILES["brightflag"])
    # Then lf_address has the country the invoice was issued with (issue #9, item 10)
    (address,) = segments(data, "firm/lf_address")
    assert values(address) == [("address_1", "100 Federal Street"), ("city", "Boston"), ("state_province", "MA"),
                               ("zip_postal_code", "02110"), ("country", "USA"), ("file_item_nbr", "1")]
    assert values(segments(brightflag, "firm/lf_address")[0])[4] == ("country", "US")
    check_xml(data)
