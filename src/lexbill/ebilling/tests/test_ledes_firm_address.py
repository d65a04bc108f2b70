"""LEDES 98BI carries the firm's structured address: LAW_FIRM_ADDRESS_1/2, CITY, STATEorREGION, POSTCODE, COUNTRY."""

import pytest

from lexbill.ebilling.ledes.document import Party, invoice_document
from lexbill.ebilling.ledes.profiles import PROFILES
from lexbill.ebilling.ledes.writer import write_98bi

from .ledes_helpers import check_arithmetic, issued_invoice, ledes_rows

FIRM_FIELDS = ("LAW_FIRM_NAME", "LAW_FIRM_ADDRESS_1", "LAW_FIRM_ADDRESS_2", "LAW_FIRM_CITY",
               "LAW_FIRM_STATEorREGION", "LAW_FIRM_POSTCODE", "LAW_FIRM_COUNTRY")


@pytest.fixture
def invoice(firm, matter, partner, associate):
    firm.address_line1, firm.address_line2, firm.city, firm.region, firm.postcode, firm.country = (
        "100 Federal Street", "Suite 1200", "Boston", "MA", "02110", "US")
    firm.save()
    return issued_invoice(firm, matter, partner, associate)


def test_the_document_takes_every_address_field_of_the_firm(invoice):
    assert invoice_document(invoice).firm == Party(
        name="Arnsley & Partners LLP", address_1="100 Federal Street", address_2="Suite 1200", city="Boston",
        region="MA", postcode="02110", country="US")


def test_every_98bi_line_carries_the_firms_address(invoice):
    data = write_98bi(invoice_document(invoice))

    rows = ledes_rows(data)
    assert len(rows) == 3
    for row in rows:
        assert tuple(row[name] for name in FIRM_FIELDS) == (
            "Arnsley & Partners LLP", "100 Federal Street", "Suite 1200", "Boston", "MA", "02110", "USA")
    check_arithmetic(data)


def test_a_european_firm_is_written_ascii_safe_with_the_profiles_country_code(firm, matter, partner, associate):
    firm.address_line1, firm.address_line2, firm.city, firm.region, firm.postcode, firm.country = (
        "K\u00f6nigsallee 1", "", "D\u00fcsseldorf", "NRW", "40212", "DE")
    firm.save()
    doc = invoice_document(issued_invoice(firm, matter, partner, associate))

    default = ledes_rows(write_98bi(doc))[0]
    brightflag = ledes_rows(write_98bi(doc, PROFILES["brightflag"]))[0]

    assert tuple(default[name] for name in FIRM_FIELDS[1:]) == (
        "Konigsallee 1", "", "Dusseldorf", "NRW", "40212", "DEU")
    assert brightflag["LAW_FIRM_COUNTRY"] == "DE"


def test_a_firm_without_an_address_leaves_the_fields_empty(firm, matter, partner, associate):
    firm.address_line1 = firm.address_line2 = firm.city = firm.region = firm.postcode = firm.country = ""
    firm.save()

    row = ledes_rows(write_98bi(invoice_document(issued_invoice(firm, matter, partner, associate))))[0]

    assert tuple(row[name] for name in FIRM_FIELDS[1:]) == ("", "", "", "", "", "")


def test_any_iso_country_gets_its_alpha3_code():
    from lexbill.ebilling.ledes.profiles import DEFAULT_PROFILE
    from lexbill.ebilling.ledes.writer import _country

    assert [_country(code, DEFAULT_PROFILE) for code in ("KE", "gb", "US", "")] == ["KEN", "GBR", "USA", ""]
