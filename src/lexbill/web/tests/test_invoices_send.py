"""The invoice page's Send button and its deliveries: to whom, when, how it ended; a failed one can be retried.
A real SMTP server (aiosmtpd) answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.billing.models import Delivery, DeliveryStatus
from lexbill.billing.tests import send_helpers
from lexbill.billing.tests.send_helpers import add_contact, attachments

from .invoices_support import plain_invoice
from .records_support import login_as

smtp = send_helpers.smtp  # the real SMTP server fixture


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


@pytest.fixture
def invoice(firm, matter, associate, client_acme):
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    return plain_invoice(firm, matter, associate, "1.0", date(2026, 4, 2))


def test_send_emails_the_invoice_and_the_page_shows_the_delivery(clerk, invoice, smtp):
    page = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()
    assert "Not sent yet." in page and "Send to the billing contacts" in page

    response = clerk.post(reverse("invoice_send", args=[invoice.pk]), follow=True)

    received = smtp.only()
    assert received.rcpt_tos == ["ap@acme.example"]
    assert [name for name, _, _ in attachments(received.message)] == ["invoice-2026-00001.pdf"]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    page = response.content.decode()
    assert "2026-00001 sent to ap@acme.example." in page
    assert f'id="delivery-{delivery.pk}" class="delivery-sent"' in page and "Resend to the billing contacts" in page


def test_a_refused_send_shows_the_servers_answer_and_retry_sends_it(clerk, invoice, smtp):
    smtp.refuse_rcpt = {"ap@acme.example"}

    page = clerk.post(reverse("invoice_send", args=[invoice.pk]), follow=True).content.decode()

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and smtp.received == []
    assert "(550 5.1.1 No such mailbox here)" in page and f'action="/deliveries/{delivery.pk}/retry/"' in page

    smtp.refuse_rcpt = set()
    page = clerk.post(reverse("delivery_retry", args=[delivery.pk]), follow=True).content.decode()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and [r.rcpt_tos for r in smtp.received] == [["ap@acme.example"]]
    assert f'action="/deliveries/{delivery.pk}/retry/"' not in page


def test_accounting_sees_deliveries_but_cannot_send(client, firm, invoice, smtp):
    login_as(client, firm, "accounting")

    assert "Send to the billing contacts" not in client.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()
    assert client.post(reverse("invoice_send", args=[invoice.pk])).status_code == 403
    assert (Delivery.objects.count(), smtp.received) == (0, [])
