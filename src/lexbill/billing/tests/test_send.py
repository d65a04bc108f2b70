"""invoice_send through a real SMTP server: recipients, subject, body, the PDF attachment, the Delivery."""

import hashlib
from datetime import UTC, date, datetime

from lexbill.billing.models import Delivery, Invoice
from lexbill.billing.pdf.render import render_invoice
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.send import invoice_send
from lexbill.core.audit import audit_verify
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_firm_settings

from . import send_helpers
from .send_helpers import FROM, NOW, add_contact, attachments, body_text, issued_invoice

smtp = send_helpers.smtp  # the real SMTP server fixture

# The email greets the billing contacts by name, not the company (issue #9, item 10).
BODY = ("Dear Carla Counsel and Wile Coyote,\n\nPlease find attached invoice 2026-00001 of 2026-04-02 for 1,375.10 USD, due on "
        "2026-05-02.\n\nKind regards,\nArnsley & Partners LLP")


def test_an_invoice_goes_to_the_billing_contacts_with_its_pdf(smtp, firm, matter, partner, associate, admin_user,
                                                              client_acme):
    # Given an issued invoice and a client with two billing contacts with an email, one without, and one
    # contact who is not a billing contact
    invoice = issued_invoice(firm, matter, partner, associate)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    add_contact(client_acme, "Carla Counsel", "carla@acme.example")
    add_contact(client_acme, "No Mail", "")
    add_contact(client_acme, "Sales Person", "sales@acme.example", billing=False)
    # When it is sent
    delivery = invoice_send(invoice=invoice, actor=admin_user, now=NOW)
    # Then the server received one message for exactly the billing contacts
    got = smtp.only()
    assert got.mail_from == FROM
    assert got.rcpt_tos == ["carla@acme.example", "ap@acme.example"]
    assert got.message["To"] == "Carla Counsel <carla@acme.example>, Wile Coyote <ap@acme.example>"
    [sender] = got.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Arnsley & Partners LLP", FROM)
    assert got.message["Subject"] == "Invoice 2026-00001 from Arnsley & Partners LLP"
    assert body_text(got.message) == BODY
    # And its one attachment is the invoice's PDF, byte for byte, whose hash is the recorded one
    [(name, content_type, pdf)] = attachments(got.message)
    assert (name, content_type) == ("invoice-2026-00001.pdf", "application/pdf")
    assert pdf == render_invoice(Invoice.objects.get(pk=invoice.pk))
    digest = hashlib.sha256(pdf).hexdigest()
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == digest
    # And the Delivery says when, by whom, to whom and what
    stored = Delivery.objects.get()
    assert stored.pk == delivery.pk
    assert (stored.invoice_id, stored.sent_at, stored.sent_by_id, stored.recipients, stored.subject,
            stored.attachments) == (
        invoice.pk, NOW, admin_user.pk, ["carla@acme.example", "ap@acme.example"],
        "Invoice 2026-00001 from Arnsley & Partners LLP", [{"name": "invoice-2026-00001.pdf", "sha256": digest}])
    event = AuditEvent.objects.get(action="invoice.send")
    assert (event.entity, event.entity_id, event.actor_id, event.at) == ("invoice", str(invoice.pk), admin_user.pk,
                                                                         NOW)
    assert event.after["recipients"] == ["carla@acme.example", "ap@acme.example"]
    assert event.after["message_id"] == got.message["Message-ID"]
    assert audit_verify(firm=firm) == []


def test_named_recipients_replace_the_billing_contacts(smtp, firm, matter, partner, associate, client_acme):
    invoice = issued_invoice(firm, matter, partner, associate)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    delivery = invoice_send(invoice=invoice, actor=None, now=NOW,
                            recipients=[" gc@acme.example", "GC@acme.example", "cfo@acme.example"])
    got = smtp.only()
    assert got.rcpt_tos == ["gc@acme.example", "cfo@acme.example"]
    assert got.message["To"] == "gc@acme.example, cfo@acme.example"
    assert (delivery.recipients, delivery.sent_by) == (["gc@acme.example", "cfo@acme.example"], None)


def test_a_resend_sends_the_same_pdf_again_and_records_a_second_delivery(smtp, firm, matter, partner, associate,
                                                                          client_acme):
    # Given an invoice sent once
    invoice = issued_invoice(firm, matter, partner, associate)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    first = invoice_send(invoice=invoice, actor=None, now=NOW)
    # When it is sent again a day later
    later = datetime(2026, 4, 4, 8, 0, tzinfo=UTC)
    second = invoice_send(invoice=invoice, actor=None, now=later)
    # Then two messages with identical PDFs arrived, and two deliveries are kept
    assert len(smtp.received) == 2
    pdfs = [attachments(r.message)[0][2] for r in smtp.received]
    assert pdfs[0] == pdfs[1]
    assert [(d.pk, d.sent_at) for d in Delivery.objects.order_by("sent_at")] == [(first.pk, NOW),
                                                                                  (second.pk, later)]
    assert first.attachments == second.attachments
    assert AuditEvent.objects.filter(action="invoice.send").count() == 2


def test_the_firm_templates_are_used_and_may_format_dates(smtp, firm, matter, partner, associate, client_acme):
    set_firm_settings(firm, invoice_email_subject="{firm}: invoice {number} ({total})",
                      invoice_email_body="To {client}: {number} dated {issued_on:%d %B %Y} is due by {due_on:%d/%m/%Y}.")
    invoice = issued_invoice(firm, matter, partner, associate)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    invoice_send(invoice=invoice, actor=None, now=NOW)
    got = smtp.only()
    assert got.message["Subject"] == "Arnsley & Partners LLP: invoice 2026-00001 (1,375.10 USD)"
    assert body_text(got.message) == "To Acme Corp: 2026-00001 dated 02 April 2026 is due by 02/05/2026."


def test_a_credit_note_is_sent_with_its_own_wording_and_pdf(smtp, firm, matter, partner, associate, client_acme):
    # Given a partial credit note of 100.00 on an issued invoice
    invoice = issued_invoice(firm, matter, partner, associate)
    note = credit_note_issue(invoice=invoice, actor=None, reason="Goodwill", issued_on=date(2026, 4, 20),
                             amount_minor=10000)
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    # When it is sent
    delivery = invoice_send(invoice=note, actor=None, now=NOW)
    # Then it is called a credit note, not an invoice, and carries its own PDF
    got = smtp.only()
    assert got.message["Subject"] == "Credit note CN2026-00001 from Arnsley & Partners LLP"
    assert body_text(got.message) == ("Dear Wile Coyote,\n\nPlease find attached credit note CN2026-00001 of "
                                      "2026-04-20 for -100.00 USD.\n\nKind regards,\nArnsley & Partners LLP")
    [(name, _, pdf)] = attachments(got.message)
    assert name == "credit-note-CN2026-00001.pdf"
    assert pdf == render_invoice(Invoice.objects.get(pk=note.pk))
    assert delivery.attachments == [{"name": name, "sha256": Invoice.objects.get(pk=note.pk).pdf_sha256}]


def test_without_a_named_billing_contact_the_email_greets_the_company(smtp, firm, matter, partner, associate,
                                                                      client_acme):
    # Given a client whose only contact is not a billing contact: the invoice goes to a named address
    invoice = issued_invoice(firm, matter, partner, associate)
    add_contact(client_acme, "Sales Person", "sales@acme.example", billing=False)
    invoice_send(invoice=invoice, actor=None, now=NOW, recipients=["ap@acme.example"])
    # Then the greeting is the company's, in the firm's own template ({contact} placeholder) as in the default
    assert body_text(smtp.only().message).startswith("Dear Acme Corp,\n\nPlease find attached invoice 2026-00001")


def test_a_custom_template_names_the_contact_with_the_contact_placeholder(smtp, firm, matter, partner, associate,
                                                                         client_acme):
    set_firm_settings(firm, invoice_email_body="Hello {contact} at {client}: {number}.")
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    invoice_send(invoice=issued_invoice(firm, matter, partner, associate), actor=None, now=NOW)
    assert body_text(smtp.only().message) == "Hello Wile Coyote at Acme Corp: 2026-00001."


def test_a_number_with_slashes_gives_a_portable_file_name(smtp, firm, matter, partner, associate, client_acme):
    set_firm_settings(firm, invoice_number_format="INV/{year}/{seq}")
    invoice = issued_invoice(firm, matter, partner, associate)
    assert invoice.number == "INV/2026/1"
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    delivery = invoice_send(invoice=invoice, actor=None, now=NOW)
    assert attachments(smtp.only().message)[0][0] == "invoice-INV-2026-1.pdf"
    assert delivery.subject == "Invoice INV/2026/1 from Arnsley & Partners LLP"
