"""A real SMTP server for the sending tests (aiosmtpd on a free localhost port) and the givens they share.

Django's SMTP backend talks to it over a socket exactly as it would to a production relay; the handler
keeps every accepted message, and can be told to refuse with a 550 (at RCPT for chosen addresses, or at
DATA for everything).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from lexbill.billing.models import Invoice
from lexbill.billing.services.issue import invoice_issue
from lexbill.clients.models import Client, ClientContact

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 3, 9, 30, tzinfo=UTC)
FROM = "billing@arnsley.example"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """The aiosmtpd handler: what the server accepted, and what it is told to refuse."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    refuse_data: bool = False
    port: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address.lower() in self.refuse_rcpt:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return "550 5.7.1 Message rejected as spam"
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def only(self) -> Received:
        assert len(self.received) == 1, [r.rcpt_tos for r in self.received]
        return self.received[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def use_smtp(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = FROM


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    use_smtp(settings, inbox.port)
    try:
        yield inbox
    finally:
        controller.stop()


def add_contact(client: Client, name: str, email: str, *, billing: bool = True) -> ClientContact:
    return ClientContact.objects.create(firm_id=client.firm_id, client=client, name=name, email=email,
                                        is_billing_contact=billing)


def issued_invoice(firm: Any, matter: Any, partner: Any, associate: Any, **fields: Any) -> Invoice:
    """2026-00001: RA 1.5 h x 500.00 + JD 2.0 h x 300.00 + courier 25.10 = 1,375.10, no tax."""
    prebill = approved_prebill(firm, matter, partner, associate, **fields)
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append((part.get_filename() or "", part.get_content_type(), payload))
    return found


def body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")  # SMTP carries CRLF line ends
