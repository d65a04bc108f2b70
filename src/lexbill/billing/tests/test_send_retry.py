"""Sending is retryable: a delivery is SENT only once the real mail server accepted the message; a refusal
leaves a FAILED delivery that a retry (or sending the run again) delivers; a sent one is never re-sent."""

from __future__ import annotations

import pytest
from django.db import transaction

from lexbill.billing.models import BillRun, Delivery
from lexbill.billing.services.send import SendFailed, delivery_retry, invoice_send, invoice_send_run
from lexbill.core.errors import Conflict
from lexbill.core.models import AuditEvent
from lexbill.core.transactions import service_transaction

from . import send_helpers
from .send_helpers import NOW, add_contact, issued_invoice

smtp = send_helpers.smtp  # the real SMTP server fixture


@pytest.fixture
def invoice(firm, matter, partner, associate, client_acme):  # type: ignore[no-untyped-def]
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    return issued_invoice(firm, matter, partner, associate)


def _deliveries() -> list[tuple[str, object, str]]:
    return list(Delivery.objects.order_by("pk").values_list("status", "sent_at", "error"))


def test_a_failed_delivery_is_retried_once_the_server_accepts(smtp, invoice):
    # Given a send the server refused at DATA
    smtp.refuse_data = True
    with pytest.raises(SendFailed):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    failed = Delivery.objects.get()
    assert (failed.status, failed.sent_at) == ("failed", None)
    # When the server accepts again and the delivery is retried
    smtp.refuse_data = False
    retried = delivery_retry(delivery=failed, actor=None, now=NOW)
    # Then the same delivery is now sent, the message reached the server once, and the send is audited once
    assert retried.pk == failed.pk
    assert _deliveries() == [("sent", NOW, "")]
    assert smtp.only().rcpt_tos == ["ap@acme.example"]
    assert AuditEvent.objects.filter(action="invoice.send").count() == 1


def test_a_sent_delivery_is_not_sent_again(smtp, invoice):
    sent = invoice_send(invoice=invoice, actor=None, now=NOW)
    before = (_deliveries(), AuditEvent.objects.count())

    with pytest.raises(Conflict, match=f"delivery {sent.pk} of invoice 2026-00001 was already sent"):
        delivery_retry(delivery=sent, actor=None, now=NOW)

    assert (_deliveries(), AuditEvent.objects.count()) == before
    assert len(smtp.received) == 1


def test_sending_the_run_again_delivers_what_failed(smtp, firm, invoice):
    run = BillRun.objects.create(firm=firm, through_on=invoice.issued_on)
    invoice.prebill.bill_run = run
    invoice.prebill.save(update_fields=["bill_run"])
    smtp.refuse_rcpt = {"ap@acme.example"}
    first = invoice_send_run(bill_run=run, actor=None, now=NOW)
    assert ([d.pk for d in first.sent], len(first.failed)) == ([], 1)

    smtp.refuse_rcpt = set()
    second = invoice_send_run(bill_run=run, actor=None, now=NOW)

    assert ([d.invoice.number for d in second.sent], second.failed, second.already_sent) == (["2026-00001"], [], 0)
    assert [status for status, _, _ in _deliveries()] == ["failed", "sent"]
    assert invoice_send_run(bill_run=run, actor=None, now=NOW).already_sent == 1


def test_a_send_inside_a_transaction_is_refused_before_anything_goes_out(smtp, invoice):
    """Mail cannot be rolled back: sending from inside a service's (or a face's) transaction fails."""
    with pytest.raises(RuntimeError), service_transaction():
        invoice_send(invoice=invoice, actor=None, now=NOW)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        invoice_send(invoice=invoice, actor=None, now=NOW)

    assert smtp.received == []
    assert Delivery.objects.count() == 0


def test_a_keyed_send_rerun_retries_only_what_the_server_refused(smtp, run, invoice):
    # Given a keyed send the mail server refused
    smtp.refuse_data = True
    first = run("invoice", "send", "2026-00001", "--idempotency-key", "send-april")
    assert first.exit_code == 1
    assert first.stdout.splitlines()[-1] == "0 sent, 1 failed"
    # When the server accepts again and the same command is run again with the same key
    smtp.refuse_data = False
    second = run("invoice", "send", "2026-00001", "--idempotency-key", "send-april")
    third = run("invoice", "send", "2026-00001", "--idempotency-key", "send-april")
    # Then the same delivery went out once; the third run sends nothing more
    assert (second.exit_code, second.stdout) == (0, "2026-00001  sent to ap@acme.example\n1 sent, 0 failed\n")
    assert (third.exit_code, third.stdout) == (0, second.stdout)
    assert [status for status, _, _ in _deliveries()] == ["sent"]
    assert len(smtp.received) == 1
    assert AuditEvent.objects.filter(action="invoice.send").count() == 1
