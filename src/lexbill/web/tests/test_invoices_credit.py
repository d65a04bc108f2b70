"""The credit-note form and the re-bill button: success through the services; refusals change nothing."""

from __future__ import annotations

import html as htmllib

import pytest
from django.urls import reverse

from lexbill.billing.models import Invoice, PreBill
from lexbill.timekeeping.models import TimeEntry

from .invoices_support import taxed_invoice
from .records_support import audit_count, login_as

GOOD = {"mode": "amount", "amount": "100.00", "reason": "Courtesy discount", "issued_on": "2026-04-20"}


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return taxed_invoice(firm, matter, partner, associate)


def credit(http, invoice, **changes):
    return http.post(reverse("invoice_credit", args=[invoice.pk]), {**GOOD, **changes})


def test_a_partial_credit_note(clerk, invoice, firm):
    response = credit(clerk, invoice)

    assert response.status_code == 302 and response["Location"] == reverse("invoice_detail", args=[invoice.pk])
    note = Invoice.objects.get(kind="credit_note")
    assert (note.number, note.credits_id, note.reason, str(note.issued_on)) == (
        "CN2026-00001", invoice.pk, "Courtesy discount", "2026-04-20")
    assert (note.subtotal_minor, note.tax_minor, note.total_minor) == (-10000, -850, -10850)
    page = clerk.get(response["Location"]).content.decode()
    assert "Credit note CN2026-00001 issued for 2026-00001." in page
    assert 'id="left-to-credit">1,275.10<' in page


def test_a_full_credit_note_then_rebill(clerk, invoice):
    response = credit(clerk, invoice, mode="full", amount="", reason="Wrong matter")

    assert response.status_code == 302
    note = Invoice.objects.get(kind="credit_note")
    assert (note.subtotal_minor, note.tax_minor, note.total_minor) == (-137510, -11689, -149199)
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"open"}
    page = clerk.get(response["Location"]).content.decode()
    assert "Re-bill the work" in page and 'id="left-to-credit">0.00<' in page
    assert "Issue a credit note" not in page  # nothing left to credit

    rebilled = clerk.post(reverse("invoice_rebill", args=[note.pk]), follow=True)

    prebill = PreBill.objects.get(status="draft")
    assert rebilled.redirect_chain == [(reverse("invoice_detail", args=[invoice.pk]), 302)]
    assert f"Pre-bill {prebill.pk} created from the work of CN2026-00001." in rebilled.content.decode()
    assert list(prebill.lines.order_by("position").values_list("kind", "total_minor")) == [
        ("fee", 75000), ("fee", 60000), ("expense", 2510)]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"on_prebill"}


def test_rebilling_twice_is_refused_and_changes_nothing(clerk, invoice):
    credit(clerk, invoice, mode="full", amount="", reason="Wrong matter")
    note = Invoice.objects.get(kind="credit_note")
    clerk.post(reverse("invoice_rebill", args=[note.pk]))
    prebills, events = PreBill.objects.count(), audit_count()

    again = clerk.post(reverse("invoice_rebill", args=[note.pk]), follow=True)

    assert "it was re-billed before" in again.content.decode()
    assert (PreBill.objects.count(), audit_count()) == (prebills, events)


def test_a_partial_credit_note_cannot_be_rebilled(clerk, invoice):
    credit(clerk, invoice)
    note = Invoice.objects.get(kind="credit_note")
    prebills, events = PreBill.objects.count(), audit_count()

    response = clerk.post(reverse("invoice_rebill", args=[note.pk]), follow=True)

    assert "CN2026-00001 is a partial credit note" in response.content.decode()
    assert (PreBill.objects.count(), audit_count()) == (prebills, events)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"reason": ""}, "reason", "This field is required."),
    ({"amount": ""}, "amount", "Enter the amount to credit, or choose the whole invoice."),
    ({"amount": "abc"}, "amount", "not an amount: 'abc' (write USD amounts like 1234.50: digits and a point, no separators)"),
    ({"amount": "100.005"}, "amount", "USD amounts have at most 2 decimals."),
    ({"amount": "0"}, "amount", "the amount to credit must be more than zero"),
    ({"amount": "2000.00"}, None,
     "cannot credit 2,000.00 USD on 2026-00001: only 1,375.10 USD is left uncredited"),
    ({"issued_on": "2026-03-01"}, None, "a credit note cannot be dated before its invoice (2026-04-02)"),
    ({"issued_on": "20.04.2026"}, "issued_on", "Enter a valid date."),
    ({"mode": "half"}, "mode", "Select a valid choice. half is not one of the available choices."),
])
def test_refusals_are_shown_input_kept_nothing_changes(clerk, invoice, changes, field, message):
    invoices, events = Invoice.objects.count(), audit_count()
    data = {**GOOD, **changes}

    response = credit(clerk, invoice, **changes)

    assert response.status_code == 200
    form = response.context["credit_form"]
    assert form.errors[field or "__all__"] == [message]
    assert htmllib.escape(message) in response.content.decode()
    assert all(form[name].value() == data[name] for name in data)
    assert (Invoice.objects.count(), audit_count()) == (invoices, events)


def test_a_full_credit_after_a_partial_one_is_refused(clerk, invoice):
    credit(clerk, invoice)
    invoices, events = Invoice.objects.count(), audit_count()

    response = credit(clerk, invoice, mode="full", amount="")

    assert response.context["credit_form"].errors["__all__"] == [
        "2026-00001 is already partly credited (100.00 USD): credit the 1,275.10 USD left with an amount"]
    assert (Invoice.objects.count(), audit_count()) == (invoices, events)


def test_a_credit_note_itself_cannot_be_credited(clerk, invoice):
    credit(clerk, invoice)
    note = Invoice.objects.get(kind="credit_note")
    invoices = Invoice.objects.count()

    response = credit(clerk, note)

    assert response.context["credit_form"].errors["__all__"] == [
        "CN2026-00001 is a credit note: only an invoice can be credited"]
    assert Invoice.objects.count() == invoices
