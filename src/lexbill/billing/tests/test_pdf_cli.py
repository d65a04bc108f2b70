"""`lexbill invoice pdf NUMBER -o FILE` and `lexbill prebill pdf ID -o FILE`."""

import hashlib
import json

import pytest

from lexbill.billing.models import Invoice

from .pdf_builders import make_invoice, normalised, pdf_text, standard_prebill


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return make_invoice(standard_prebill(firm, matter, partner, associate), number="2026-00042",
                        tax=("Sales tax", 62500))


def test_invoice_pdf_writes_the_file_and_records_its_hash(run, invoice, tmp_path):
    out = tmp_path / "inv.pdf"
    result = run("invoice", "pdf", "2026-00042", "-o", str(out))
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert result.stdout == f"wrote {out} ({out.stat().st_size:,} bytes, sha256 {digest})\n"
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == digest
    assert "Total due 3,209.60 USD" in normalised(pdf_text(out.read_bytes()))


def test_invoice_pdf_json(run, invoice, tmp_path):
    out = tmp_path / "inv.pdf"
    result = run("invoice", "pdf", "2026-00042", "-o", str(out), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == {"invoice": "2026-00042", "file": str(out), "bytes": out.stat().st_size,
                    "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}


def test_an_unknown_number_exits_1_with_one_line_and_writes_nothing(run, invoice, tmp_path):
    out = tmp_path / "inv.pdf"
    result = run("invoice", "pdf", "2026-99999", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == "lexbill: error: no invoice 2026-99999 in firm arnsley\n"
    assert not out.exists()
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == ""


def test_prebill_pdf_writes_a_draft(run, firm, matter, partner, associate, tmp_path):
    prebill = standard_prebill(firm, matter, partner, associate)
    out = tmp_path / "pro-forma.pdf"
    result = run("prebill", "pdf", str(prebill.pk), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "DRAFT" in pdf_text(out.read_bytes())


def test_an_unknown_prebill_exits_1(run, firm, tmp_path):
    result = run("prebill", "pdf", "424242", "-o", str(tmp_path / "x.pdf"))
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no pre-bill 424242 in firm arnsley\n")


def test_another_firms_invoice_is_not_found(run, invoice, other_firm, tmp_path):
    result = run("invoice", "pdf", "2026-00042", "-o", str(tmp_path / "x.pdf"), "--firm", "other")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no invoice 2026-00042 in firm other\n")
