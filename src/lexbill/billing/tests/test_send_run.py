"""invoice_send_run: every unsent invoice of a bill run, each on its own; failures do not stop the others."""

from datetime import date

import pytest

from lexbill.billing.models import BillRun, Delivery, PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.send import invoice_send, invoice_send_run
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from . import send_helpers
from .billing_helpers import ISSUED_ON, MARCH_2
from .send_helpers import NOW, add_contact

smtp = send_helpers.smtp  # the real SMTP server fixture


def _issue(firm, matter, timekeeper, hours, run=None):
    prebill = make_prebill(firm, matter, work=[(timekeeper, MARCH_2, hours, "Work")], bill_run=run,
                           status=PreBillStatus.APPROVED)
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


@pytest.fixture
def run(firm):
    return BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status="done")


@pytest.fixture
def clients(firm, client_acme):
    """ACME (billing contact ap@acme.example), BETA (bounces), GAMMA (no billing contact)."""
    beta = factories.make_client(firm, code="BETA", name="Beta LLC")
    gamma = factories.make_client(firm, code="GAMMA", name="Gamma SA")
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    add_contact(beta, "Bea Bounce", "gone@beta.example")
    return client_acme, beta, gamma


@pytest.fixture
def invoices(firm, run, clients, partner, associate):
    """Five invoices of the run: ACME x2, BETA, GAMMA, ACME (in number order); and one issued outside it."""
    acme, beta, gamma = clients
    matters = [factories.make_matter(firm, client=c, billing_attorney=partner) for c in (acme, acme, beta, gamma, acme)]
    issued = [_issue(firm, m, associate, "1.0", run) for m in matters]
    outside = _issue(firm, factories.make_matter(firm, client=acme, billing_attorney=partner), associate, "2.0")
    return issued, outside


def test_a_run_sends_every_invoice_and_reports_each_failure(smtp, run, invoices, admin_user):
    # Given five invoices of the run, one of them (2026-00002) already sent, BETA's only address bouncing
    # and GAMMA without a billing contact; and one invoice (2026-00006) not from the run
    issued, outside = invoices
    invoice_send(invoice=issued[1], actor=None, now=NOW)
    smtp.received.clear()
    smtp.refuse_rcpt = {"gone@beta.example"}
    seen = []
    # When the run is sent
    result = invoice_send_run(bill_run=run, actor=admin_user, now=NOW,
                              progress=lambda done, total: seen.append((done, total)))
    # Then the two sendable unsent invoices went out, after and despite the failures in between
    assert [d.invoice.number for d in result.sent] == ["2026-00001", "2026-00005"]
    assert [r.message["Subject"] for r in smtp.received] == ["Invoice 2026-00001 from Arnsley & Partners LLP",
                                                             "Invoice 2026-00005 from Arnsley & Partners LLP"]
    assert [(inv.number, reason) for inv, reason in result.failed] == [
        ("2026-00003", "invoice 2026-00003 was not sent: every recipient was refused: "
                       "Bea Bounce <gone@beta.example> (550 5.1.1 No such mailbox here)"),
        ("2026-00004", "client GAMMA has no billing contact with an email address: add one, or name the recipients"),
    ]
    assert result.already_sent == 1
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # And each sent invoice has one sent Delivery by the actor; the bounced one a failed delivery to retry;
    # the one without a contact (refused before sending) and the outsider have none
    assert sorted((d.invoice.number, d.status, d.sent_by_id) for d in Delivery.objects.select_related("invoice")) \
        == [("2026-00001", "sent", admin_user.pk), ("2026-00002", "sent", None), ("2026-00003", "failed", admin_user.pk),
            ("2026-00005", "sent", admin_user.pk)]
    assert not Delivery.objects.filter(invoice=outside).exists()


def test_sending_a_run_again_sends_only_what_is_still_unsent(smtp, run, invoices, clients):
    # Given a run sent once with GAMMA failing for want of a contact
    issued, _ = invoices
    first = invoice_send_run(bill_run=run, actor=None, now=NOW)
    assert [inv.number for inv, _ in first.failed] == ["2026-00004"]
    smtp.received.clear()
    # When GAMMA gets a billing contact and the run is sent again
    add_contact(clients[2], "Gus Gamma", "ap@gamma.example")
    second = invoice_send_run(bill_run=run, actor=None, now=NOW)
    # Then only GAMMA's invoice goes out; nothing is sent twice
    assert ([d.invoice.number for d in second.sent], second.failed, second.already_sent) == (["2026-00004"], [], 4)
    assert [r.rcpt_tos for r in smtp.received] == [["ap@gamma.example"]]
    assert Delivery.objects.filter(invoice__in=issued).count() == 5
    third = invoice_send_run(bill_run=run, actor=None, now=NOW)
    assert (third.sent, third.failed, third.already_sent) == ([], [], 5)


def test_a_run_without_invoices_sends_nothing(smtp, run):
    result = invoice_send_run(bill_run=run, actor=None, now=NOW)
    assert (result.sent, result.failed, result.already_sent, smtp.received) == ([], [], 0, [])
