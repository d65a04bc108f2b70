from datetime import date
from decimal import Decimal

import pytest

from lexbill.ebilling.ledes.reader import LedesReadError, parse_number, read

from .ledes_fixtures import BI_EXPENSE, BI_FEE, EXPENSE, FEE, LEX_98B_GOOD, MW, MW_SINGLE, TB_BI, ledes, sample


def test_the_2014_sample_reads_as_two_invoices_with_exact_numbers():
    parsed = read(sample(LEX_98B_GOOD))
    assert parsed.format == "LEDES1998B"
    assert [(i.number, i.total, len(i.lines)) for i in parsed.invoices] == [
        ("96542", Decimal("1684.45"), 5), ("96543", Decimal("1250"), 1)]
    first = parsed.invoices[0].lines[0]
    assert (first.line, first.type, first.units, first.adjustment, first.total, first.unit_cost) == (
        3, "F", Decimal("2.00"), Decimal("-70"), Decimal("630"), Decimal("350"))
    assert (first.date, first.task_code, first.activity_code, first.timekeeper_classification) == (
        date(1999, 1, 15), "L510", "A102", "PARTNR")
    assert "Attorney\u2019s" in first.description
    retainer = parsed.invoices[1].lines[0]
    assert (retainer.type, retainer.adjustment, retainer.unit_cost, retainer.line) == ("IF", Decimal("1250"), None, 8)
    assert (parsed.invoices[1].billing_start, parsed.invoices[1].billing_end) == (date(1999, 1, 1), date(1999, 1, 31))


def test_the_crlf_sample_ending_with_a_space_line_is_read():
    parsed = read(sample(MW))
    assert [(i.number, len(i.lines)) for i in parsed.invoices] == [("96542", 6)]
    assert [item.line for item in parsed.invoices[0].lines] == [3, 4, 5, 6, 7, 8]
    assert read(sample(MW_SINGLE)).invoices[0].lines[0].total == Decimal("700")


def test_98bi_reads_taxes_and_invoice_totals():
    parsed = read(sample(TB_BI))
    assert parsed.format == "LEDES98BI V2"
    first, second = parsed.invoices
    assert (first.total, first.tax_total, first.net_total, first.currency) == (
        Decimal("1869.97"), Decimal("182.52"), Decimal("1781.16"), "GBP")
    assert [(item.tax_rate, item.tax_total) for item in first.lines[:2]] == [
        (Decimal("0.061245"), Decimal("87.63")), (Decimal("0.061245"), Decimal("92.6"))]
    assert (second.number, second.total) == ("96543", Decimal("1338.81"))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", ""])
def test_every_line_break_and_none_at_all_give_the_same_invoice(newline):
    parsed = read(ledes(FEE, EXPENSE, newline=newline))
    [invoice] = parsed.invoices
    assert [(item.number, item.total) for item in invoice.lines] == [("1", Decimal("630")), ("2", Decimal("24.95"))]


def test_physical_line_numbers_count_from_one():
    parsed = read(ledes(FEE, EXPENSE))
    assert [item.line for item in parsed.invoices[0].lines] == [3, 4]


@pytest.mark.parametrize(("text", "value"), [
    ("630", Decimal("630")), ("1250.", Decimal("1250")), ("0.200", Decimal("0.2")), ("-70", Decimal("-70")),
    ("289.5", Decimal("289.5")), ("1.2345", Decimal("1.2345")), ("", None),
])
def test_numbers_take_zero_to_four_decimals_and_a_trailing_dot(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1.23456", "1,000", "+5", "$5", " 5", ".5", "5e2", "--5"])
def test_other_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_cp1252_and_utf8_bytes_read_the_same_text():
    line = {**FEE, "LINE_ITEM_DESCRIPTION": "Caf\u00e9 meeting \u2019"}
    text = ledes(line, {**EXPENSE, "INVOICE_TOTAL": "654.95"})
    from_cp1252 = read(text.encode("cp1252"))
    from_utf8 = read(text.encode("utf-8"))
    assert from_cp1252.encoding == "cp1252" and from_utf8.encoding == "utf-8"
    assert from_cp1252.invoices[0].lines[0].description == from_utf8.invoices[0].lines[0].description == (
        "Caf\u00e9 meeting \u2019")


def test_latin1_bytes_cp1252_cannot_decode_still_read():
    text = ledes({**FEE, "LINE_ITEM_DESCRIPTION": "x\x81y"})
    assert read(text.encode("latin-1")).invoices[0].lines[0].description == "x\x81y"


def test_98bi_from_hand_made_file():
    [invoice] = read(ledes(BI_FEE, BI_EXPENSE, fmt="LEDES98BI V2")).invoices
    assert (invoice.total, invoice.tax_total, invoice.net_total) == (
        Decimal("780.95"), Decimal("126"), Decimal("654.95"))


@pytest.mark.parametrize(("text", "message"), [
    ("", "line 1: the file is empty"),
    ("LEDES1998Z[]\n", "line 1: the first line must be"),
    ("LEDES1998B[]\nINVALID_HEADERS[]\n", "line 2: the header line is not the LEDES1998B header"),
    (ledes(FEE).replace("|C-9[]", "[]"), "line 3: 23 fields, expected 24"),
    (ledes({**FEE, "LINE_ITEM_TOTAL": "630.00001"}), "line 3: LINE_ITEM_TOTAL: '630.00001' is not a number"),
    (ledes({**FEE, "LINE_ITEM_DATE": "20260230"}), "line 3: LINE_ITEM_DATE: '20260230' is not a real calendar"),
])
def test_unreadable_files_raise_with_the_line(text, message):
    with pytest.raises(LedesReadError) as excinfo:
        read(text)
    assert str(excinfo.value).startswith(message)
