"""invoice_send refusals: bad templates, no recipients, a mail server that says no. Nothing is recorded."""

import pytest

from lexbill.billing.models import Delivery, InvoiceLine
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.billing.services.send import SendFailed, invoice_send
from lexbill.billing.tests.pdf_builders import behind_the_services_back
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_firm_settings

from . import send_helpers
from .send_helpers import NOW, add_contact, free_port, issued_invoice, use_smtp

smtp = send_helpers.smtp  # the real SMTP server fixture


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return issued_invoice(firm, matter, partner, associate)


def assert_nothing_sent(smtp):
    assert smtp.received == []
    assert Delivery.objects.count() == 0
    assert AuditEvent.objects.filter(action="invoice.send").count() == 0


def test_a_client_without_a_billing_contact_email_is_refused(smtp, invoice, client_acme):
    # Given billing contacts without email and a non-billing contact with one
    add_contact(client_acme, "No Mail", "")
    add_contact(client_acme, "Sales Person", "sales@acme.example", billing=False)
    with pytest.raises(ValidationFailed, match="client ACME has no billing contact with an email address"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)


@pytest.mark.parametrize(("subject", "body", "message"), [
    ("Invoice {number} for {matter}", "{client}", r"email subject template uses unknown placeholder\(s\) \{matter\}"),
    ("Invoice {number}", "Hi {client} {amount} {0}", r"email body template uses unknown placeholder\(s\) \{0\}, "
                                                     r"\{amount\}; use only \{number\}, \{firm\}, \{client\}"),
    ("Invoice {firm.pk}", "{client}", r"unknown placeholder\(s\) \{firm.pk\}"),
    ("Invoice {number", "{client}", "email subject template is not valid"),
    ("Invoice {number}", "Total {total:%Y}", "email body template is not valid"),
    ("Invoice {}", "{client}", r"unknown placeholder\(s\) \{\}"),
])
def test_a_template_with_unknown_or_broken_placeholders_is_refused(smtp, firm, invoice, client_acme, subject, body,
                                                                   message):
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    set_firm_settings(firm, invoice_email_subject=subject, invoice_email_body=body)
    with pytest.raises(ValidationFailed, match=message):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)


def test_a_subject_that_becomes_two_lines_is_refused(smtp, firm, invoice, client_acme):
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    set_firm_settings(firm, invoice_email_subject="Invoice {number}\nBcc: someone@evil.example")
    with pytest.raises(ValidationFailed, match="the email subject must be one line"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)


@pytest.mark.parametrize(("recipients", "message"), [
    ([], "name at least one recipient"),
    (["  "], "name at least one recipient"),
    (["ap@acme.example", "not an address"], "'not an address' is not an email address"),
])
def test_bad_named_recipients_are_refused(smtp, invoice, recipients, message):
    with pytest.raises(ValidationFailed, match=f"^{message}$"):
        invoice_send(invoice=invoice, actor=None, now=NOW, recipients=recipients)
    assert_nothing_sent(smtp)


def test_a_message_refused_by_the_server_records_nothing(smtp, invoice, client_acme):
    # Given a mail server that rejects the message at DATA with a 550
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    smtp.refuse_data = True
    # When the invoice is sent, then the error names the invoice and the server's answer
    with pytest.raises(SendFailed, match=r"invoice 2026-00001 was not sent: 550 5\.7\.1 Message rejected as spam"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)


def test_every_recipient_refused_records_nothing(smtp, invoice, client_acme):
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    smtp.refuse_rcpt = {"ap@acme.example"}
    with pytest.raises(SendFailed, match=r"every recipient was refused: Wile Coyote <ap@acme.example> \(550 5.1.1 No such mailbox"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)


def test_no_mail_server_listening_records_nothing(settings, invoice, client_acme):
    # Given a port where nothing listens
    use_smtp(settings, free_port())
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    with pytest.raises(SendFailed, match=r"invoice 2026-00001 was not sent: .*[Cc]onnection refused"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert Delivery.objects.count() == 0
    assert AuditEvent.objects.filter(action="invoice.send").count() == 0


def test_an_invoice_whose_pdf_no_longer_matches_is_not_sent(smtp, invoice, client_acme):
    # Given a recorded PDF hash, then a line altered behind the services' back
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    invoice_pdf_render(invoice=invoice)
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoice, position=1).update(narrative="Something else")
    # When it is sent, then the altered document never reaches the client
    with pytest.raises(Conflict, match="the PDF of invoice 2026-00001 no longer matches the one issued"):
        invoice_send(invoice=invoice, actor=None, now=NOW)
    assert_nothing_sent(smtp)
