"""LEDES XML 2.1 validator: a clean file passes; each kind of breakage gives its finding with the XML line and
the segment's file_item_nbr; hostile XML is refused cleanly. No database: the file comes from a plain
InvoiceDoc written by the pure writer."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.ebilling.ledes.document import InvoiceDoc, LineDoc, Party
from lexbill.ebilling.ledes.reader import LedesReadError
from lexbill.ebilling.ledes.validator import validate
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.ebilling.ledes.xml21_reader import read_xml21

from .ledes_fixtures import codes, errors


def _line(position, kind, **kw):
    base = dict(position=position, kind=kind, on_date=date(2026, 1, 15), matter_number="ACME-001",
                client_matter_id="C-9", hours=None, rate_minor=None, quantity=None, unit_cost_minor=None,
                total_minor=0, tax_minor=0, narrative="Work", task_code="", activity_code="", expense_code="",
                timekeeper_id="", timekeeper_first_name="", timekeeper_last_name="", timekeeper_classification="",
                matter_name="Acme v. Roe")
    return LineDoc(**{**base, **kw})


# 2 h x 350 - 70 = 630 (fee), 1 x 24.95 (expense), a -4.95 discount: 650.00.
DOC = InvoiceDoc(
    number="INV-1", issued_on=date(2026, 1, 31), period_start=date(2026, 1, 1), period_end=date(2026, 1, 31),
    currency="USD", total_minor=65000, tax_minor=0, description="Services", client_id="ACME",
    law_firm_id="24-6437381", matter_name="Acme v. Roe", firm=Party("Doe LLP", "1 Strand"),
    client=Party("Acme", country="US"), taxes=(), due_on=date(2026, 3, 2), lines=(
        _line(1, "fee", hours=Decimal("2.0"), rate_minor=35000, total_minor=63000, task_code="L510",
              activity_code="A102", timekeeper_id="JD", timekeeper_first_name="Jane", timekeeper_last_name="Doe",
              timekeeper_classification="PT"),
        _line(2, "expense", quantity=Decimal(1), unit_cost_minor=2495, total_minor=2495, expense_code="E111",
              narrative="Meals"),
        _line(3, "adjustment", total_minor=-495, narrative="Rounding courtesy"),
    ))
GOOD = write_xml21(DOC).decode()


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of needle."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def test_the_written_file_is_clean_and_reads_back():
    assert validate(GOOD) == []
    assert validate(GOOD.encode("utf-8")) == []
    (invoice,) = read_xml21(GOOD).invoices
    assert (invoice.number, invoice.net_due, [(i.kind, i.file_item_nbr, i.total) for i in invoice.items]) == (
        "INV-1", Decimal("650.00"),
        [("matter_disc_cred", 7, Decimal("-4.95")), ("fee", 9, Decimal("630.00")), ("expense", 10, Decimal("24.95"))])


def test_dispatch_after_a_bom_and_white_space():
    assert validate(b"\xef\xbb\xbf" + GOOD.encode()) == []
    assert validate("\ufeff" + GOOD) == []
    without_declaration = GOOD.split("\n", 1)[1]
    assert validate(b" \r\n" + without_declaration.encode()) == []
    # White space before an XML declaration is an XML error: the XML checks ran and say so.
    assert codes(validate("\n" + GOOD)) == [(2, None, "not_well_formed")]
    assert codes(validate("LEDES1998B[]\n"))[0][2] in ("header", "no_line_items")  # still the 98B checks


def test_bad_line_math_names_the_line_and_its_file_item_nbr():
    bad = GOOD.replace("<base_amount>700.00</base_amount>", "<base_amount>710.00</base_amount>")
    findings = validate(bad)
    line = line_of(bad, "<base_amount>710.00")
    assert errors(findings) == [(line, "base_amount", "base_amount"), (line + 2, "total_amount", "line_total")]
    assert findings[0].message == "<fee> file_item_nbr 9: base_amount 710 but units x rate = 2 x 350 = 700"


def test_matter_and_invoice_sums_are_checked():
    bad = GOOD.replace("<matter_total_detail_exp>24.95<", "<matter_total_detail_exp>25.95<").replace(
        "<inv_total_net_due>650.00<", "<inv_total_net_due>651.00<")
    assert errors(validate(bad)) == [
        (line_of(bad, "<inv_total_net_due>"), "inv_total_net_due", "invoice_total"),
        (line_of(bad, "<matter_total_detail_exp>"), "matter_total_detail_exp", "matter_total"),
        # matter_net_exp is checked against the declared detail total, so it disagrees too.
        (line_of(bad, "<matter_net_exp>"), "matter_net_exp", "matter_total"),
    ]
    assert "but the sum of expense total_amount = 24.95" in str(validate(bad)[1])


def test_a_missing_element_and_an_empty_one():
    bad = GOOD.replace("<inv_currency>USD</inv_currency>", "").replace("<tk_id>JD</tk_id>", "<tk_id></tk_id>", 1)
    found = errors(validate(bad))
    assert (line_of(bad, "<invoice>"), "inv_currency", "required") in found
    assert (line_of(bad, "<tk_id></tk_id>"), "tk_id", "required") in found


def test_duplicate_file_item_nbr():
    bad = GOOD.replace("<file_item_nbr>10</file_item_nbr>", "<file_item_nbr>9</file_item_nbr>")
    findings = validate(bad)
    assert errors(findings) == [(line_of(bad, "<file_item_nbr>9<", 2), "file_item_nbr", "duplicate_file_item_nbr")]
    assert findings[0].message == (f"file_item_nbr 9 of <expense> is already used on line "
                                   f"{line_of(bad, '<fee>')}")


def test_bad_date_and_bad_number_formats():
    bad = GOOD.replace("<charge_date>2026-01-15</charge_date>", "<charge_date>2026-02-30</charge_date>", 1).replace(
        "<inv_date>2026-01-31<", "<inv_date>20260131<").replace("<units>1.0<", "<units>1,0<")
    assert errors(validate(bad)) == [
        (line_of(bad, "<inv_date>"), "inv_date", "date_format"),
        (line_of(bad, "<charge_date>2026-02-30"), "charge_date", "date_format"),
        (line_of(bad, "<units>1,0"), "units", "number_format"),
    ]


def test_wrong_order_repeated_and_unknown_elements():
    bad = GOOD.replace("<inv_id>INV-1</inv_id>\n        <inv_date>2026-01-31</inv_date>",
                       "<inv_date>2026-01-31</inv_date>\n        <inv_id>INV-1</inv_id>").replace(
        "<matter_final_bill>N</matter_final_bill>", "<matter_final_bill>N</matter_final_bill><firm_URL>x</firm_URL>")
    found = codes(validate(bad))
    assert (line_of(bad, "<inv_id>"), "inv_id", "element_order") in found
    assert next(f for f in validate(bad) if f.code == "unknown_element").severity == "warning"


def test_codes_classification_and_currency():
    bad = GOOD.replace("<task_code>L510<", "<task_code>510<").replace("<tk_level>PARTNR<", "<tk_level>BOSS<", 1) \
        .replace("<inv_currency>USD<", "<inv_currency>usd<")
    assert [c for _, _, c in errors(validate(bad))] == ["code_format", "classification", "utbms_code"]


def test_not_well_formed():
    findings = validate(GOOD.replace("</fee>", "</feee>"))
    assert errors(findings) == [(line_of(GOOD, "</fee>"), None, "not_well_formed")]
    assert errors(validate("<")) == [(1, None, "not_ledes")]  # nothing of LEDES in it


def test_wrong_root_or_namespace():
    assert errors(validate(GOOD.replace('xmlns="http://www.ledes.org/LEDES21.xsd"', ""))) [0] == (2, None, "root")
    assert errors(validate("<ledesxml><firm/></ledesxml>")) == [(1, None, "root")]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">""" + "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + """]>
<ledesxmlebilling2.1 xmlns="http://www.ledes.org/LEDES21.xsd">&lol9;</ledesxmlebilling2.1>"""
EXTERNAL = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<ledesxmlebilling2.1 xmlns="http://www.ledes.org/LEDES21.xsd">&e;</ledesxmlebilling2.1>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL, '<!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>'])
def test_entity_bombs_and_dtds_are_refused_at_once(data):
    # Refused before any entity is expanded (defusedxml stops at the declaration): the finding says so.
    findings = validate(data)
    assert [(f.code, f.severity) for f in findings] == [("forbidden_xml", "error")]
    assert "refused for safety" in findings[0].message
    with pytest.raises(LedesReadError, match="refused for safety"):
        read_xml21(data)


def test_disc_cred_sign_must_match_its_direction():
    bad = GOOD.replace("<increase_decrease>Decrease<", "<increase_decrease>Increase<")
    assert errors(validate(bad)) == [(line_of(bad, "<disc_cred_amount>"), "disc_cred_amount", "disc_cred_sign")]
