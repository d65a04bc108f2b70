"""LEDES XML 2.1 through the CLI (export, validate), the web and API downloads, and submissions whose line
answers are by file_item_nbr."""

from datetime import date

from django.urls import reverse

from lexbill.api.tests.billing_api_helpers import api_as
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.ebilling.models import SubmissionStatus
from lexbill.ebilling.services import LineAnswer, file_lines, submission_create, submission_status_set
from lexbill.web.tests.records_support import login_as

from .ledes_helpers import issued_invoice
from .submission_helpers import SUBMITTED_AT, SUBMITTED_ON, portal_invoice


def test_cli_export_xml_then_validate(run, tmp_path, firm, matter, partner, associate):
    invoice = issued_invoice(firm, matter, partner, associate)
    out = tmp_path / "inv.xml"
    result = run("ledes", "export", invoice.number, "--format", "xml2.1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == write_xml21(invoice_document(invoice))
    assert result.stdout.startswith(f"wrote {out} (XML2.1, profile standard, 3 lines")
    result = run("ledes", "validate", str(out))
    assert (result.exit_code, result.stdout) == (0, "inv.xml: valid\n")
    broken = tmp_path / "broken.xml"
    broken.write_bytes(out.read_bytes().replace(b"<total_amount>750.00<", b"<total_amount>751.00<"))
    result = run("ledes", "validate", str(broken))
    assert result.exit_code == 1
    assert "total_amount: <fee> file_item_nbr 8: total_amount 751 but base_amount + item_disc_cred_amount = 750" \
        in result.stdout
    (tmp_path / "bad.xml").write_text("<ledesxmlebilling2.1")
    assert run("ledes", "validate", str(tmp_path / "bad.xml")).exit_code == 1


def test_web_download_is_xml(client, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    login_as(client, firm, "accounting")
    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert b"?format=XML2.1" in page.content
    response = client.get(reverse("invoice_ledes", args=[invoice.pk]) + "?format=XML2.1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.xml"'
    assert response.content == write_xml21(invoice_document(invoice))


def test_api_download_is_xml(firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    api, _ = api_as(firm, "accounting")
    response = api.get(f"/invoices/{invoice.pk}/ledes", format="XML2.1")
    assert (response.status_code, response["Content-Type"]) == (200, "application/xml")
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.xml"'
    assert response.content == write_xml21(invoice_document(invoice))


def test_an_xml_submission_is_answered_by_file_item_nbr(client, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    sub = submission_create(invoice=invoice, actor=None, ledes_format="xml", today=SUBMITTED_ON, now=SUBMITTED_AT)
    assert (sub.ledes_format, sub.file_name) == ("XML2.1", f"{invoice.number}.xml")
    assert {n: str(v) for n, v in file_lines(sub).items()} == {8: "750.00", 9: "600.00", 10: "25.10"}
    submission_status_set(submission=sub, status=SubmissionStatus.REDUCED, actor=None, on=date(2026, 4, 10),
                          lines=[LineAnswer(line_number=9, reason="rate above cap", reduced_by_minor=5000)])
    assert list(sub.lines.values_list("line_number", "reduced_by_minor")) == [(9, 5000)]
    login_as(client, firm, "accounting")
    response = client.get(reverse("submission_file", args=[sub.pk]))
    assert (response["Content-Type"], response.content) == ("application/xml", bytes(sub.file_bytes))
