"""Sending issued invoices (and credit notes) by email, and recording each send as a Delivery.

The order is: build everything (recipients, subject, body, the PDF through `invoice_pdf_render`, which
checks the recorded hash), hand the message to Django's email backend, and only once the backend has
accepted it record the Delivery and its audit event in one transaction. A refusal or an SMTP failure
therefore records nothing. The reverse gap cannot be closed (SMTP has no two-phase commit): if the
process dies between the server's acceptance and the commit, the mail went out unrecorded; a resend
then sends it again, which is the safe side for a client.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.db import transaction

from lexbill.access import enforce
from lexbill.billing.email import (
    billing_recipients,
    build_message,
    explicit_recipients,
    ledes_attachments,
    pdf_attachment,
    subject_and_body,
)
from lexbill.billing.models import BillRun, Delivery, Invoice, InvoiceKind
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.core.audit import audit_record
from lexbill.core.errors import LexbillError, NotFound


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


def invoice_send(*, invoice: Invoice, actor: User | None, now: datetime, recipients: list[str] | None = None,
                 connection: Any = None) -> Delivery:
    """Email the invoice (or credit note) with its PDF to the client's billing contacts, or to `recipients`.

    Sending again is a resend: another Delivery. `connection` lets a batch reuse one backend connection.
    """
    enforce(actor, invoice.firm_id, "invoices.change")
    found = Invoice.objects.select_related("firm", "client").filter(pk=invoice.pk).first()
    if found is None:
        raise NotFound(f"no invoice {invoice.pk}")
    invoice = found
    chosen = explicit_recipients(recipients) if recipients is not None else billing_recipients(invoice)
    subject, body = subject_and_body(invoice)
    attachments = [pdf_attachment(invoice, invoice_pdf_render(invoice=invoice, actor=actor)),
                   *ledes_attachments(invoice)]
    message = build_message(invoice=invoice, recipients=chosen, subject=subject, body=body,
                            attachments=attachments, connection=connection)
    try:
        accepted = message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused connection, timeout, TLS
        raise SendFailed(f"invoice {invoice.number} was not sent: {_smtp_reason(exc)}") from exc
    if accepted != 1:
        raise SendFailed(f"invoice {invoice.number} was not sent: the email backend did not accept it")
    with transaction.atomic():
        delivery = Delivery.objects.create(
            firm=invoice.firm, invoice=invoice, sent_at=now, sent_by=actor,
            recipients=[r.email for r in chosen], subject=subject, attachments=[a.record() for a in attachments])
        audit_record(firm=invoice.firm, actor=actor, action="invoice.send", entity="invoice",
                     entity_id=invoice.pk, at=now, before=None,
                     after={"number": invoice.number, "delivery": delivery.pk, "recipients": delivery.recipients,
                            "subject": subject, "attachments": delivery.attachments,
                            "message_id": message.extra_headers.get("Message-ID", "")})
    return delivery


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
    """Invoices issued from the run's pre-bills that were never sent, in number order."""
    return list(Invoice.objects.select_related("firm", "client")
                .filter(prebill__bill_run=bill_run, kind=InvoiceKind.INVOICE, deliveries__isnull=True)
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
