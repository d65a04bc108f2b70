"""Sending issued invoices (and credit notes) by email, and recording each attempt as a Delivery.

The order (ADR 0011): build everything (recipients, subject, body, the PDF through
`invoice_pdf_render`, which checks the recorded hash), so a bad template or address is refused with nothing
recorded; then record the attempt as a PENDING Delivery in its own committed transaction; only then hand
the message to the mail server, outside any transaction; and record the server's answer in a second
transaction: SENT (with its audit event) once the server accepted it, FAILED with the server's reason
when it did not. A FAILED delivery, or a PENDING one left by a process that stopped while talking to the
server, is retried by `delivery_retry` or by sending the run again; SMTP has no two-phase commit, so a
PENDING delivery may in fact have gone out, and a retry then sends it again, the safe side for a client.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection

from lexbill.access import enforce
from lexbill.billing.email import (
    Attachment,
    Recipient,
    billing_recipients,
    build_message,
    explicit_recipients,
    ledes_attachments,
    pdf_attachment,
    subject_and_body,
)
from lexbill.billing.models import BillRun, Delivery, DeliveryStatus, Invoice, InvoiceKind
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, LexbillError, NotFound
from lexbill.core.transactions import in_service_transaction, service_transaction

RETRYABLE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class SendFailed(LexbillError):
    """The mail server (or the connection to it) did not accept the message."""

    code = "send_failed"


def _smtp_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{addr} ({code} {_text(msg)})" for addr, (code, msg) in exc.recipients.items())
        return f"every recipient was refused: {refused}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)


def _invoice(invoice_id: int) -> Invoice:
    found = Invoice.objects.select_related("firm", "client").filter(pk=invoice_id).first()
    if found is None:
        raise NotFound(f"no invoice {invoice_id}")
    return found


def _message(invoice: Invoice, recipients: list[Recipient], actor: User | None,
             connection: Any) -> tuple[EmailMessage, str, list[Attachment]]:
    subject, body = subject_and_body(invoice)
    attachments = [pdf_attachment(invoice, invoice_pdf_render(invoice=invoice, actor=actor)),
                   *ledes_attachments(invoice)]
    message = build_message(invoice=invoice, recipients=recipients, subject=subject, body=body,
                            attachments=attachments, connection=connection)
    return message, subject, attachments


@dataclass
class _Prepared:
    delivery: Delivery
    invoice: Invoice
    message: EmailMessage
    attachments: list[Attachment]


def _prepare(*, invoice: Invoice, actor: User | None, now: datetime, recipients: list[str] | None,
             connection: Any) -> _Prepared:
    invoice = _invoice(invoice.pk)
    chosen = explicit_recipients(recipients) if recipients is not None else billing_recipients(invoice)
    message, subject, attachments = _message(invoice, chosen, actor, connection)  # refusals come here
    with service_transaction():
        delivery = Delivery.objects.create(
            firm=invoice.firm, invoice=invoice, status=DeliveryStatus.PENDING, attempted_at=now, sent_by=actor,
            recipients=[r.email for r in chosen], subject=subject, attachments=[a.record() for a in attachments])
    return _Prepared(delivery, invoice, message, attachments)


def delivery_prepare(*, invoice: Invoice, actor: User | None, now: datetime,
                     recipients: list[str] | None = None) -> Delivery:
    """Check everything a send needs and record the attempt as a PENDING Delivery (nothing is sent yet)."""
    return _prepare(invoice=invoice, actor=actor, now=now, recipients=recipients, connection=None).delivery


def _attempt(prepared: _Prepared, *, actor: User | None, now: datetime) -> Delivery:
    if in_service_transaction():
        raise RuntimeError("a delivery is attempted outside any transaction: a sent mail cannot be rolled back")
    delivery, invoice, message = prepared.delivery, prepared.invoice, prepared.message
    try:
        accepted = message.send(fail_silently=False)
        if accepted != 1:
            raise SendFailed(f"invoice {invoice.number} was not sent: the email backend did not accept it")
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused connection, timeout, TLS
        failure = SendFailed(f"invoice {invoice.number} was not sent: {_smtp_reason(exc)}")
        _record_failure(delivery, failure)
        raise failure from exc
    except SendFailed as failure:
        _record_failure(delivery, failure)
        raise
    records = [a.record() for a in prepared.attachments]
    with service_transaction():
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=now, error="",
                                                       attachments=records)
        audit_record(firm=invoice.firm, actor=actor, action="invoice.send", entity="invoice",
                     entity_id=invoice.pk, at=now, before=None,
                     after={"number": invoice.number, "delivery": delivery.pk, "recipients": delivery.recipients,
                            "subject": delivery.subject, "attachments": records,
                            "message_id": message.extra_headers.get("Message-ID", "")})
    delivery.refresh_from_db()
    return delivery


def _record_failure(delivery: Delivery, failure: SendFailed) -> None:
    # One statement in autocommit: the failure is kept although the caller sees an exception.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error=str(failure)[:2000])
    delivery.status, delivery.error = DeliveryStatus.FAILED, str(failure)[:2000]


def delivery_retry(*, delivery: Delivery, actor: User | None, now: datetime, connection: Any = None) -> Delivery:
    """Send a PENDING or FAILED delivery's message to its recorded addresses; SENT once the server accepted
    it, else FAILED (and SendFailed). Talks to the mail server, so it never runs inside a transaction."""
    enforce(actor, delivery.firm_id, "invoices.change")
    locked = Delivery.objects.select_related("invoice").filter(pk=delivery.pk).first()
    if locked is None:
        raise NotFound(f"no delivery {delivery.pk}")
    if locked.status not in RETRYABLE:
        raise Conflict(f"delivery {locked.pk} of invoice {locked.invoice.number} was already sent")
    invoice = _invoice(locked.invoice_id)
    message, _, attachments = _message(invoice, [Recipient("", e) for e in locked.recipients], actor, connection)
    Delivery.objects.filter(pk=locked.pk).update(attempted_at=now)
    return _attempt(_Prepared(locked, invoice, message, attachments), actor=actor, now=now)


def invoice_send(*, invoice: Invoice, actor: User | None, now: datetime, recipients: list[str] | None = None,
                 connection: Any = None) -> Delivery:
    """Email the invoice (or credit note) with its PDF to the client's billing contacts, or to `recipients`.

    Sending again is a resend: another Delivery. `connection` lets a batch reuse one backend connection.
    """
    enforce(actor, invoice.firm_id, "invoices.change")
    prepared = _prepare(invoice=invoice, actor=actor, now=now, recipients=recipients, connection=connection)
    return _attempt(prepared, actor=actor, now=now)


@dataclass
class SendRunResult:
    sent: list[Delivery] = field(default_factory=list)
    failed: list[tuple[Invoice, str]] = field(default_factory=list)
    already_sent: int = 0


def bill_run_get(bill_run_id: int) -> BillRun:
    """The bill run to send, in the active firm's scope (another firm's id is simply not found)."""
    found = BillRun.objects.filter(pk=bill_run_id).first()
    if found is None:
        raise NotFound(f"no bill run {bill_run_id}")
    return found


def unsent_invoices_of_run(bill_run: BillRun) -> list[Invoice]:
    """Invoices issued from the run's pre-bills that no mail server has accepted yet (never sent, or every
    attempt failed or was cut off), in number order."""
    return list(Invoice.objects.select_related("firm", "client")
                .filter(prebill__bill_run=bill_run, kind=InvoiceKind.INVOICE)
                .exclude(deliveries__status=DeliveryStatus.SENT)
                .order_by("issued_on", "number"))


def invoice_send_run(*, bill_run: BillRun, actor: User | None, now: datetime,
                     progress: Callable[[int, int], None] | None = None) -> SendRunResult:
    """Send every unsent invoice of a bill run, each in its own transaction; one failure does not stop
    the others. Running it again sends only what is still unsent."""
    enforce(actor, bill_run.firm_id, "invoices.change")
    result = SendRunResult()
    invoices = unsent_invoices_of_run(bill_run)
    result.already_sent = (Invoice.objects.filter(prebill__bill_run=bill_run, kind=InvoiceKind.INVOICE)
                           .exclude(pk__in=[i.pk for i in invoices]).count())
    connection = get_connection(fail_silently=False)
    try:
        for done, invoice in enumerate(invoices, start=1):
            try:
                result.sent.append(invoice_send(invoice=invoice, actor=actor, now=now, connection=connection))
            except LexbillError as exc:
                result.failed.append((invoice, str(exc)))
                _reset(connection)  # a broken session must not fail the invoices after this one
            if progress is not None:
                progress(done, len(invoices))
    finally:
        _reset(connection)
    return result


def _reset(connection: Any) -> None:
    # Closing a session the server already dropped fails too; the next send opens a new one either way.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()
