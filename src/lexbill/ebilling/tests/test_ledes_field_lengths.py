"""An invoice of a client that was not billed in LEDES when it was issued (so its values were never checked
against the LEDES fields) still writes valid files: names and addresses are cut to their fields; an id too
long for its field is refused with a clear message instead of a file a portal refuses."""

import pytest

from lexbill.clients.models import Client
from lexbill.core.errors import ValidationFailed
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21

from .ledes_helpers import check_arithmetic, issued_invoice, ledes_rows
from .xml21_helpers import check_xml

LONG_NAME = "The Consolidated International Widget Manufacturing Holdings Company of Delaware"  # 81


def test_a_long_client_name_is_cut_to_60_characters_and_the_file_validates(firm, client_acme, matter, partner,
                                                                         associate):
    Client.objects.filter(pk=client_acme.pk).update(name=LONG_NAME, address_line1="1 " + "Long Road " * 8)
    data = write_98bi(invoice_document(issued_invoice(firm, matter, partner, associate)))
    row = ledes_rows(data)[0]
    assert (row["CLIENT_NAME"], row["CLIENT_ADDRESS_1"]) == (
        "The Consolidated International Widget Manufacturing Holdings",
        "1 Long Road Long Road Long Road Long Road Long Road Long Roa")
    check_arithmetic(data)


def test_a_matter_number_too_long_for_1998b_is_refused_with_the_limit(firm, matter, partner, associate):
    matter.number = "ACME-LITIGATION-2026-0001"  # saved by issued_invoice
    doc = invoice_document(issued_invoice(firm, matter, partner, associate))
    for write in (write_1998b, write_98bi):
        with pytest.raises(ValidationFailed, match=r"^matter number ACME-LITIGATION-2026-0001 of invoice 2026-00001 "
                                                   r"is 25 characters long; LEDES allows at most 20 in "
                                                   r"LAW_FIRM_MATTER_ID$"):
            write(doc)
    assert check_xml(write_xml21(doc)) > 0  # XML 2.1 has no such limit
