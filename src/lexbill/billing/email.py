"""The email that carries an invoice: recipients, subject and body from the firm's templates, attachments.

Pure message building (no sending, no database writes) so that a template error is found before anything
goes out. `services/send.py` sends the message and records the Delivery.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from email.utils import formataddr, make_msgid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email

from lexbill.billing.models import Invoice, InvoiceKind, firm_billing_settings
from lexbill.clients.models import ClientContact
from lexbill.core.errors import ValidationFailed
from lexbill.core.money import format_money

PLACEHOLDERS = ("number", "firm", "client", "contact", "total", "issued_on", "due_on")
# A letter greets people, not a company (issue #9, item 10): `{contact}` is the client's billing contact(s) by
# name, or the company when it has none. The default body greets `{contact}`; migration 0011 moved the bodies
# firms had stored with the old default greeting "Dear {client}," onto it.
SUBJECT_MAX = 200  # Delivery.subject

# Credit notes have no per-firm template yet (it would be two Firm fields): a fixed wording that does not
# call them invoices. The same placeholders apply.
CREDIT_NOTE_SUBJECT = "Credit note {number} from {firm}"
CREDIT_NOTE_BODY = ("Dear {contact},\n\nPlease find attached credit note {number} of {issued_on} for {total}.\n\n"
                    "Kind regards,\n{firm}")


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def record(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256}


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str

    def header(self) -> str:
        return formataddr((self.name, self.email)) if self.name else self.email


def fill_template(template: str, values: dict[str, Any], *, what: str) -> str:
    """str.format over the known placeholders only: an unknown name, an attribute or index lookup
    (`{firm.pk}`), a positional field or a broken brace is refused with the template's name."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValidationFailed(f"the {what} template is not valid: {exc}", field=what) from exc
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        shown = ", ".join("{" + name + "}" for name in unknown)
        allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationFailed(f"the {what} template uses unknown placeholder(s) {shown}; use only {allowed}",
                               field=what)
    try:
        return template.format(**values)
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # a bad format spec, e.g. {total:%Y}
        raise ValidationFailed(f"the {what} template is not valid: {exc}", field=what) from exc


def _names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def contact_name(invoice: Invoice) -> str:
    """Whom the email greets: the billing contacts of the invoice's client (its payor on a split invoice) who
    have a name and an email, in the order they are addressed; the company when there is none. It depends on
    the client's contacts only, so a retried send writes the same body."""
    contacts = (ClientContact.objects.filter(client_id=invoice.client_id, is_billing_contact=True)
                .exclude(email="").exclude(name="").order_by("name", "pk").values_list("name", flat=True))
    names = list(dict.fromkeys(name.strip() for name in contacts if name.strip()))
    return _names(names) if names else invoice.client.name


def template_values(invoice: Invoice) -> dict[str, Any]:
    # Dates stay dates so a template may format them ({issued_on:%d %B %Y}); plain they print as ISO.
    return {"number": invoice.number, "firm": invoice.firm.name, "client": invoice.client.name,
            "contact": contact_name(invoice),
            "total": format_money(invoice.total_minor, invoice.currency), "issued_on": invoice.issued_on,
            "due_on": invoice.due_on}


def subject_and_body(invoice: Invoice) -> tuple[str, str]:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        subject_template, body_template = CREDIT_NOTE_SUBJECT, CREDIT_NOTE_BODY
    else:
        settings = firm_billing_settings(invoice.firm)
        subject_template, body_template = settings.invoice_email_subject, settings.invoice_email_body
    values = template_values(invoice)
    subject = fill_template(subject_template, values, what="email subject")
    body = fill_template(body_template, values, what="email body")
    if "\n" in subject or "\r" in subject:
        raise ValidationFailed("the email subject must be one line", field="email subject")
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(f"the email subject is {len(subject)} characters long; at most {SUBJECT_MAX}",
                               field="email subject")
    return subject, body


def billing_recipients(invoice: Invoice) -> list[Recipient]:
    """The client's billing contacts that have an email. Payors other than the client do not exist yet:
    when they do, their billing contacts join here."""
    contacts = ClientContact.objects.filter(client_id=invoice.client_id, is_billing_contact=True).exclude(email="")
    found = [Recipient(c.name, c.email) for c in contacts.order_by("name", "pk")]
    if not found:
        raise ValidationFailed(f"client {invoice.client.code} has no billing contact with an email address: "
                               "add one, or name the recipients", field="recipients")
    return _unique(found)


def explicit_recipients(emails: list[str]) -> list[Recipient]:
    cleaned = [e.strip() for e in emails if e and e.strip()]
    if not cleaned:
        raise ValidationFailed("name at least one recipient", field="recipients")
    for email in cleaned:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed(f"{email!r} is not an email address", field="recipients") from exc
    return _unique([Recipient("", e) for e in cleaned])


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    kept = []
    for r in recipients:
        if r.email.lower() not in seen:
            seen.add(r.email.lower())
            kept.append(r)
    return kept


def pdf_attachment(invoice: Invoice, pdf: bytes) -> Attachment:
    prefix = "credit-note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    # A number format may contain "/" or spaces ("INV/2026/7"): keep file names portable.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", invoice.number).strip("-") or str(invoice.pk)
    return Attachment(f"{prefix}-{safe}.pdf", pdf, "application/pdf")


def ledes_attachments(invoice: Invoice) -> list[Attachment]:
    """Hook for the e-billing issue: when the client's e-billing settings have `wants_ledes`, the LEDES file goes
    here. Until LEDES writers exist nothing is attached (docs/billing.md, "Sending invoices")."""
    return []


def sender_address() -> str:
    return str(settings.DEFAULT_FROM_EMAIL)


def build_message(*, invoice: Invoice, recipients: list[Recipient], subject: str, body: str,
                  attachments: list[Attachment], connection: Any = None) -> EmailMessage:
    sender = sender_address()
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage(
        subject=subject, body=body, from_email=formataddr((invoice.firm.name, sender)),
        to=[r.header() for r in recipients], connection=connection,
        # Our own Message-ID: Django's default asks the resolver for this host's FQDN, which can stall.
        headers={"Message-ID": make_msgid(domain=domain)})
    for attachment in attachments:
        message.attach(attachment.name, attachment.content, attachment.mimetype)
    return message
