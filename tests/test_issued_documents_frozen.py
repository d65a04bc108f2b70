"""Invariant 2 through every face: an issued invoice's PDF and its LEDES files (1998B, 98BI, XML 2.1), downloaded
through the CLI, the API and the web, stay byte-identical after the firm moves, the client is renamed, the
matter renumbered and a timekeeper's initials change. Credit notes follow the same rule."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lexbill.api.tests.billing_api_helpers import api_as
from lexbill.billing.models import Invoice, InvoiceDocument
from lexbill.billing.services.credit import credit_note_issue
from lexbill.ebilling.tests.ledes_helpers import ISSUED_ON, NOW, issued_invoice
from lexbill.testing.settings_rows import set_client_settings, set_firm_settings
from lexbill.web.tests.records_support import login_as

FORMATS = ("1998B", "1998BI", "XML2.1")


def _downloads(run: Any, tmp_path: Path, http: Any, api: Any, invoice: Invoice) -> dict[str, bytes]:
    """Every document of the invoice, through every face: {"cli pdf": ..., "api 1998B": ..., ...}."""
    found: dict[str, bytes] = {}
    out = tmp_path / "document"
    result = run("invoice", "pdf", invoice.number, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    found["cli pdf"] = out.read_bytes()
    for fmt in FORMATS:
        result = run("ledes", "export", invoice.number, "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        found[f"cli {fmt}"] = out.read_bytes()
    response = api.get(f"/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200, response.content
    found["api pdf"] = response.content
    for fmt in FORMATS:
        response = api.get(f"/invoices/{invoice.pk}/ledes", format=fmt)
        assert response.status_code == 200, response.content
        found[f"api {fmt}"] = response.content
    response = http.get(reverse("invoice_pdf", args=[invoice.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    found["web pdf"] = response.content
    for fmt in FORMATS:
        response = http.get(reverse("invoice_ledes", args=[invoice.pk]) + f"?format={fmt}")
        assert response.status_code == 200
        found[f"web {fmt}"] = response.content
    return found


def _same_in_every_face(found: dict[str, bytes]) -> None:
    for kind in ("pdf", *FORMATS):
        assert found[f"cli {kind}"] == found[f"api {kind}"] == found[f"web {kind}"], kind


def _change_everything(firm: Any, client: Any, matter: Any, partner: Any) -> None:
    firm.name, firm.address_line1, firm.city, firm.postcode = "Arnsley Partners LLP", "1 Harbor Plaza", "Salem", "01970"
    firm.save()
    set_firm_settings(firm, payment_instructions="Pay to our new bank.", ledes_law_firm_id="99-0000001")
    client.name, client.address_line1 = "Acme Holdings Inc.", "9 Elm Street"
    client.save()
    set_client_settings(client, ledes_client_id="ACME-NEW")
    matter.number, matter.name, matter.client_matter_id = "ACME-999", "Renamed matter", "NEW-ID"
    matter.save()
    partner.initials, partner.first_name, partner.classification = "RXA", "Bob", "OC"
    partner.save()


@pytest.fixture
def faces(client, firm):  # type: ignore[no-untyped-def]
    login_as(client, firm, "billing")
    api, _ = api_as(firm, "admin")
    return client, api


def test_an_issued_invoice_keeps_its_pdf_and_ledes_files_byte_for_byte(run, tmp_path, faces, firm, client_acme,
                                                                         matter, partner, associate):
    # Given an issued invoice whose PDF and LEDES files were downloaded through the CLI, the API and the web
    http, api = faces
    invoice = issued_invoice(firm, matter, partner, associate)
    first = _downloads(run, tmp_path, http, api, invoice)
    _same_in_every_face(first)
    assert b"|ACME-001|" in first["cli 1998B"] and b"|RA|" in first["cli 1998B"]
    assert b"Acme Corp" in first["cli 1998BI"] and b"100 Federal Street" not in first["cli 1998BI"]
    # When the firm moves, the client is renamed, the matter renumbered and a timekeeper's initials change
    _change_everything(firm, client_acme, matter, partner)
    # Then every document of the invoice is byte-identical to the first downloads
    again = _downloads(run, tmp_path, http, api, Invoice.objects.get(pk=invoice.pk))
    assert again == first
    assert InvoiceDocument.objects.filter(invoice=invoice).count() == 1
    # And an invoice issued now shows the new values (so the changes did reach the live rows)
    later = _downloads(run, tmp_path, http, api, issued_invoice(firm, matter, partner, associate))
    assert b"|ACME-999|" in later["cli 1998B"] and b"|RXA|" in later["cli 1998B"]
    assert b"Acme Holdings Inc." in later["cli 1998BI"] and b"1 Harbor Plaza" in later["cli 1998BI"]


def test_a_credit_note_keeps_its_documents_byte_for_byte(run, tmp_path, faces, firm, client_acme, matter, partner,
                                                         associate):
    # Given a full credit note of an issued invoice, its documents downloaded
    http, api = faces
    invoice = issued_invoice(firm, matter, partner, associate)
    note = credit_note_issue(invoice=invoice, actor=None, reason="Billed twice", issued_on=date(2026, 4, 9),
                             full=True, now=NOW)
    first = _downloads(run, tmp_path, http, api, note)
    _same_in_every_face(first)
    # When everything the documents show changes
    _change_everything(firm, client_acme, matter, partner)
    # Then the credit note's documents are byte-identical
    assert _downloads(run, tmp_path, http, api, Invoice.objects.get(pk=note.pk)) == first


def test_a_credit_note_shows_the_firm_as_it_is_and_the_lines_as_they_were_billed(firm, client_acme, matter,
                                                                                 partner, associate):
    # Given an invoice issued before the firm moved and the matter was renumbered
    invoice = issued_invoice(firm, matter, partner, associate)
    _change_everything(firm, client_acme, matter, partner)
    # When it is credited
    note = credit_note_issue(invoice=invoice, actor=None, reason="Billed twice", issued_on=ISSUED_ON, full=True,
                             now=NOW)
    # Then the credit note (a new document) names the firm and the client as they are now, and its lines the
    # matter and timekeepers as the invoice billed them
    snapshot = Invoice.objects.get(pk=note.pk).snapshot
    assert (snapshot["firm"]["address_line1"], snapshot["client"]["name"]) == ("1 Harbor Plaza", "Acme Holdings Inc.")
    assert snapshot["matters"] == {str(matter.pk): {"number": "ACME-001", "name": "Acme v. Widget Co.",
                                                    "client_matter_id": "423-987"}}
    assert snapshot["timekeepers"][str(partner.pk)] == {"initials": "RA", "first_name": "Robert",
                                                        "last_name": "Arnsley", "classification": "PT"}
