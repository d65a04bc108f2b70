"""The firm's letterhead and the client's address come from the same address fields and the same lines."""

from datetime import date

import pytest

from lexbill.billing.pdf.context import address_lines
from lexbill.billing.pdf.render import render_invoice
from lexbill.clients.models import Client
from lexbill.core.models import Firm

from .pdf_builders import make_invoice, normalised, pdf_text, standard_prebill

BOSTON = {"address_line1": "100 Federal Street", "address_line2": "Suite 1200", "city": "Boston", "region": "MA",
          "postcode": "02110", "country": "US"}


@pytest.mark.parametrize(("fields", "home", "lines"), [
    (BOSTON, "US", ["100 Federal Street", "Suite 1200", "Boston, MA 02110"]),
    (BOSTON, "GB", ["100 Federal Street", "Suite 1200", "Boston, MA 02110", "US"]),
    ({**BOSTON, "address_line2": "", "region": ""}, "US", ["100 Federal Street", "Boston, 02110"]),
    ({**BOSTON, "city": "", "postcode": ""}, "US", ["100 Federal Street", "Suite 1200", "MA"]),
    ({"address_line1": "1 Fleet Street", "city": "London", "postcode": "EC4Y 1AA", "country": "GB"}, "US",
     ["1 Fleet Street", "London, EC4Y 1AA", "GB"]),
    ({}, "US", []),
])
def test_address_lines_as_on_an_envelope(fields, home, lines):
    # The same function for a firm and a client: both carry the same fields.
    assert address_lines(Firm(**fields), home_country=home) == lines
    assert address_lines(Client(**{"country": "", **fields}), home_country=home) == lines


@pytest.fixture
def invoice_of(firm, matter, partner, associate):
    """Issues the invoice once the test has set the firm's address (standard_prebill sets Boston's first)."""
    def issue(**address):
        prebill = standard_prebill(firm, matter, partner, associate)
        for name, value in address.items():
            setattr(firm, name, value)
        firm.save()
        return make_invoice(prebill, number="2026-00042", issued_on=date(2026, 4, 2))
    return issue


def _letterhead(text):
    return text[:text.index("Acme Corp")]


def test_a_us_firm_billing_a_us_client_names_no_country(invoice_of):
    invoice = invoice_of(address_line2="Floor 12")

    text = normalised(pdf_text(render_invoice(invoice)))

    letterhead = _letterhead(text)
    for line in ("Arnsley & Partners LLP", "100 Federal Street, Suite 1200", "Floor 12", "Boston, MA 02110"):
        assert line in letterhead
    assert "US" not in letterhead.replace("USD", "")
    assert "Springfield, IL 62701\n" in text


def test_a_london_firm_billing_a_us_client_names_both_countries(invoice_of):
    invoice = invoice_of(address_line1="1 Fleet Street", address_line2="", city="London", region="",
                         postcode="EC4Y 1AA", country="GB")

    text = normalised(pdf_text(render_invoice(invoice)))

    letterhead = _letterhead(text)
    assert "1 Fleet Street" in letterhead and "London, EC4Y 1AA" in letterhead and "GB" in letterhead
    assert "Boston" not in text
    client = text[text.index("Acme Corp"):]
    assert client.index("1 Acme Way") < client.index("Springfield, IL 62701") < client.index("US\n")
