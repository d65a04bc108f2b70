"""`lexbill ebill submit|status|list|writedown`."""

import hashlib

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.ebilling.models import Submission, SubmissionLine

from .submission_helpers import portal_invoice, submitted


def test_submit_then_list(run, run_json, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    result = run("ebill", "submit", invoice.number, "--portal", "Brightflag", "--format", "1998BI",
                 "--profile", "brightflag")
    assert result.exit_code == 0, result.stderr
    sub = Submission.objects.get()
    assert result.stdout.startswith(f"submission {sub.pk}: {invoice.number} to Brightflag (1998BI, profile "
                                    "brightflag) submitted on ")
    assert sub.file_sha256 == hashlib.sha256(bytes(sub.file_bytes)).hexdigest()
    (row,) = run_json("ebill", "list", "--status", "submitted")
    assert (row["invoice"], row["portal"], row["format"], row["status"], row["file_sha256"]) == (
        invoice.number, "Brightflag", "1998BI", "submitted", sub.file_sha256)
    assert run_json("ebill", "list", "--status", "paid") == []


def test_status_answers_on_the_latest_submission(run, run_json, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    number = sub.invoice.number
    out = run_json("ebill", "status", number, "--rejected", "--reason", "block billing", "--code", "BB01",
                   "--line", "2", "--on", "2026-04-10")
    assert (out["status"], out["status_on"], out["lines"]) == ("rejected", "2026-04-10", [
        {"line": 2, "status": "rejected", "reason_code": "BB01", "reason": "block billing", "reduced_by_minor": 0}])
    # Resubmitting the byte-identical file is refused; a corrected export supersedes the old submission.
    result = run("ebill", "submit", number)
    assert (result.exit_code, result.stderr.strip()) == (
        1, f"lexbill: error: the file is unchanged since submission {sub.pk}: credit and re-bill the invoice, or correct "
           "the export first")
    assert Submission.objects.get().status == "rejected"
    new = run_json("ebill", "submit", number, "--format", "1998BI")
    assert (new["corrects"], new["status"], new["change_summary"]) == (sub.pk, "submitted", "format 1998B -> 1998BI")
    out = run_json("ebill", "status", number, "--reduced", "--line", "1", "--amount", "50.00", "--reason", "rate")
    assert (out["id"], out["status"], out["lines"][0]["reduced_by_minor"]) == (new["id"], "reduced", 5000)
    note = run_json("ebill", "writedown", number, "--on", "2026-04-12")
    assert (note["subtotal_minor"], note["total_minor"]) == (-5000, -5000)
    out = run_json("ebill", "status", number, "--paid")
    assert out["status"] == "paid"


def test_refusals_exit_1_and_change_nothing(run, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    number = sub.invoice.number
    for args, code, message in [
        (("status", number, "--paid"), 1, "a submitted submission cannot become paid"),
        (("status", number, "--reduced", "--line", "9", "--amount", "1.00", "--reason", "x"), 1, "no line 9"),
        (("status", number, "--reduced", "--line", "1"), 2, "--reduced needs --line N and --amount X"),
        (("status", number), 2, "give one of --accepted"),
        (("status", "NOPE", "--accepted"), 1, "no invoice with number 'NOPE'"),
        (("submit", number), 1, "already submitted to Legal Tracker"),
        (("writedown", number), 1, "only a reduced submission is written down"),
        (("list", "--status", "lost"), 1, "no submission status 'lost'"),
    ]:
        result = run("ebill", *args)
        assert (result.exit_code, message in result.stderr) == (code, True), (args, result.stderr)
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count(), SubmissionLine.objects.count()) == ("submitted", 1, 0)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 0


def test_the_re_bill_replaces_the_credited_invoices_rejected_submission(run, run_json, firm, matter, partner,
                                                                          associate):
    from .test_resubmission import rebilled_with_line_2_written_down, rejected

    old = rejected(firm, matter, partner, associate)
    rebill = rebilled_with_line_2_written_down(old.invoice, down_minor=15000)
    result = run("ebill", "submit", rebill.number, "--replaces", old.invoice.number)
    assert result.exit_code == 0, result.stderr
    new = Submission.objects.get(invoice=rebill)
    assert result.stdout.splitlines()[1] == (
        f"  corrects submission {old.pk}: invoice {old.invoice.number} -> {rebill.number}; 1 line changed "
        "(line 2: 600.00 -> 450.00); total 1375.10 -> 1225.10")
    assert (new.corrects_id, Submission.objects.get(pk=old.pk).status) == (old.pk, "superseded")
