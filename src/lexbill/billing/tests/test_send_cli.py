"""`lexbill invoice send NUMBER ... | --run ID [--to EMAIL ...] [--json]` against a real SMTP server."""

import hashlib
import json
from datetime import date

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import BillRun, Delivery
from lexbill.billing.services.issue import invoice_issue
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from . import send_helpers
from .billing_helpers import ISSUED_ON, MARCH_2
from .send_helpers import add_contact, attachments, issued_invoice

smtp = send_helpers.smtp  # the real SMTP server fixture



@pytest.fixture
def invoice(firm, matter, partner, associate, client_acme):
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    return issued_invoice(firm, matter, partner, associate)


def test_send_by_number_then_resend_to_named_addresses(smtp, run, invoice):
    # When the invoice is sent to its billing contacts
    result = run("invoice", "send", "2026-00001")
    # Then one line says where it went
    assert (result.exit_code, result.stdout) == (0, "2026-00001  sent to ap@acme.example\n1 sent, 0 failed\n")
    # When it is sent again to two named addresses, as JSON
    again = run("invoice", "send", "2026-00001", "--to", "gc@acme.example", "--to", "cfo@acme.example", "--json")
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    [sent] = data["sent"]
    assert (sent["number"], sent["recipients"], sent["subject"], data["failed"], data["already_sent"]) == (
        "2026-00001", ["gc@acme.example", "cfo@acme.example"], "Invoice 2026-00001 from Arnsley & Partners LLP", [],
        0)
    assert [r.rcpt_tos for r in smtp.received] == [["ap@acme.example"], ["gc@acme.example", "cfo@acme.example"]]
    pdf = attachments(smtp.received[1].message)[0][2]
    assert sent["attachments"] == [{"name": "invoice-2026-00001.pdf",
                                    "sha256": hashlib.sha256(pdf).hexdigest()}]
    assert Delivery.objects.count() == 2


def test_send_a_run_reports_failures_and_exits_1(smtp, run, firm, partner, associate, client_acme):
    # Given a bill run with two invoices: ACME's (has a billing contact) and BETA's (none)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    bill_run = BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status="done")
    beta = factories.make_client(firm, code="BETA", name="Beta LLC")
    for client in (client_acme, beta):
        m = factories.make_matter(firm, client=client, billing_attorney=partner)
        pb = make_prebill(firm, m, work=[(associate, MARCH_2, "1.0", "Work")], bill_run=bill_run, status="approved")
        invoice_issue(prebill=pb, actor=None, issued_on=ISSUED_ON)
    # When the run is sent
    result = run("invoice", "send", "--run", str(bill_run.pk))
    # Then ACME's went out, BETA's is reported, and the command fails with one line on stderr
    assert result.exit_code == 1
    assert result.stdout == ("2026-00001  sent to ap@acme.example\n"
                             "2026-00002  NOT SENT: client BETA has no billing contact with an email address: add "
                             "one, or name the recipients\n"
                             "1 sent, 1 failed\n")
    assert result.stderr.splitlines()[-1] == "lexbill: error: 1 invoice(s) not sent"
    # When BETA gets a contact and the run is sent again, only BETA's goes
    add_contact(beta, "Bea", "ap@beta.example")
    again = run("invoice", "send", "--run", str(bill_run.pk), "--json")
    assert again.exit_code == 0
    data = json.loads(again.stdout)
    assert ([s["number"] for s in data["sent"]], data["failed"], data["already_sent"]) == (["2026-00002"], [], 1)
    assert [r.rcpt_tos for r in smtp.received] == [["ap@acme.example"], ["ap@beta.example"]]


@pytest.mark.parametrize(("args", "code", "message"), [
    (("invoice", "send"), 1, "give invoice numbers or --run ID (not both)"),
    (("invoice", "send", "2026-00001", "--run", "1"), 1, "give invoice numbers or --run ID (not both)"),
    (("invoice", "send", "--run", "1", "--to", "a@b.example"), 1, "--to applies to invoices named by number"),
    (("invoice", "send", "2026-00001", "2026-09999"), 1, "lexbill: error: no invoice 2026-09999 in firm arnsley"),
    (("invoice", "send", "--run", "999999"), 1, "lexbill: error: no bill run 999999 in firm arnsley"),
    (("invoice", "send", "2026-00001", "--to", "nobody"), 1, "'nobody' is not an email address"),
])
def test_bad_usage_sends_nothing(smtp, run, invoice, args, code, message):
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr + result.stdout
    assert smtp.received == []
    assert Delivery.objects.count() == 0


def test_another_firms_bill_run_is_not_found(smtp, run, invoice, other_firm):
    with scopes_disabled():
        theirs = BillRun.objects.create(firm=other_firm, through_on=date(2026, 3, 31))
    result = run("invoice", "send", "--run", str(theirs.pk), "--firm", "arnsley")
    assert (result.exit_code, result.stderr) == (1, f"lexbill: error: no bill run {theirs.pk} in firm arnsley\n")
