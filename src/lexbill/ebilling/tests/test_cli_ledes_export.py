"""`lexbill ledes export NUMBER [--format] [--profile] -o FILE`."""

from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_1998b
from lexbill.testing.settings_rows import set_firm_settings

from .ledes_helpers import check_arithmetic, issued_invoice


def test_export_writes_both_formats(run, tmp_path, firm, matter, partner, associate):
    invoice = issued_invoice(firm, matter, partner, associate)
    out = tmp_path / "inv.txt"
    result = run("ledes", "export", invoice.number, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == write_1998b(invoice_document(invoice))
    assert result.stdout.startswith(f"wrote {out} (1998B, profile standard, 3 lines")
    result = run("ledes", "export", invoice.number, "--format", "1998BI", "--profile", "brightflag", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert str(check_arithmetic(out.read_bytes())) == "1375.10"
    assert b"\r\n" not in out.read_bytes() and out.read_bytes().startswith(b"LEDES98BI V2[]\n")


def test_export_refusals_exit_1_and_write_nothing(run, tmp_path, firm, matter, partner, associate):
    invoice = issued_invoice(firm, matter, partner, associate)
    out = tmp_path / "inv.txt"
    for args, message in [(("NOPE",), "no invoice NOPE in firm arnsley"),
                          ((invoice.number, "--profile", "odd"), "no LEDES profile 'odd'")]:
        result = run("ledes", "export", *args, "-o", str(out))
        assert (result.exit_code, message in result.stderr, out.exists()) == (1, True, False), result.stderr
    # The law firm id is frozen at issue: an invoice issued while the firm had none cannot be exported.
    without_id = issued_invoice(firm, matter, partner, associate,
                                adjust=lambda prebill: set_firm_settings(firm, ledes_law_firm_id=""))
    result = run("ledes", "export", without_id.number, "-o", str(out))
    assert (result.exit_code, "no LEDES law firm id" in result.stderr, out.exists()) == (1, True, False)
