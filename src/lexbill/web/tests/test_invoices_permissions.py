"""Who sees which invoices: admin/billing/accounting all; an attorney those of their own matters; only
admin/billing credit or re-bill; a client user, and anyone for another firm's invoice, gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.billing.models import Invoice, PreBill
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.tests.billing_helpers import ISSUED_ON, approved_prebill
from lexbill.core.tenancy import firm_scope

from .invoices_support import NOW, link_user, plain_invoice
from .records_support import audit_count, login_as, other_firm_rows

CREDIT = {"mode": "amount", "amount": "10.00", "reason": "Goodwill", "issued_on": "2026-04-20"}


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                         issued_on=ISSUED_ON, now=NOW)


@pytest.fixture
def full_note(invoice):
    return credit_note_issue(invoice=invoice, actor=None, reason="Wrong matter", issued_on=date(2026, 4, 20),
                             full=True, now=NOW)


def urls(invoice):
    return [reverse(name, args=[invoice.pk]) for name in ("invoice_detail", "invoice_pdf")]


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_read_only_roles_see_but_cannot_credit_or_rebill(client, firm, partner, invoice, full_note, role):
    user = login_as(client, firm, role)
    link_user(partner, user)  # the attorney is the matter's billing attorney
    invoices, prebills, events = Invoice.objects.count(), PreBill.objects.count(), audit_count()

    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    credited = client.post(reverse("invoice_credit", args=[invoice.pk]), CREDIT)
    rebilled = client.post(reverse("invoice_rebill", args=[full_note.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Issue a credit note" not in html and "Re-bill the work" not in html and "Download PDF" in html
    assert (credited.status_code, rebilled.status_code) == (403, 403)
    assert (Invoice.objects.count(), PreBill.objects.count(), audit_count()) == (invoices, prebills, events)
    listed = [inv.number for inv in client.get(reverse("invoice_list")).context["page"]]
    assert listed == ["CN2026-00001", "2026-00001"]


def test_an_attorney_downloads_the_pdf_of_their_invoice(client, firm, partner, invoice):
    link_user(partner, login_as(client, firm, "attorney"))

    response = client.get(reverse("invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_an_attorney_does_not_see_other_attorneys_invoices(client, firm, associate, invoice, full_note):
    link_user(associate, login_as(client, firm, "attorney"))  # JD worked on it but does not bill the matter

    assert [inv.number for inv in client.get(reverse("invoice_list")).context["page"]] == []
    for url in urls(invoice) + urls(full_note):
        assert client.get(url).status_code == 404
    assert client.post(reverse("invoice_credit", args=[invoice.pk]), CREDIT).status_code == 403


def test_an_attorney_sees_a_consolidated_invoice_holding_their_matter(client, firm, matter, partner, associate):
    prebill = approved_prebill(firm, matter, partner, associate)
    PreBill.objects.filter(pk=prebill.pk).update(matter=None)
    prebill.refresh_from_db()
    consolidated = invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    other_attorney = plain_invoice(firm, matter, associate, "1.0", date(2026, 4, 3))
    link_user(partner, login_as(client, firm, "attorney"))

    listed = [inv.number for inv in client.get(reverse("invoice_list")).context["page"]]

    assert consolidated.matter is None
    assert listed == ["2026-00002", "2026-00001"] and other_attorney.number == "2026-00002"
    assert "Consolidated (several matters)" in client.get(urls(consolidated)[0]).content.decode()


def test_a_client_user_gets_404_everywhere(client, firm, invoice, full_note):
    login_as(client, firm, "client")
    invoices, prebills = Invoice.objects.count(), PreBill.objects.count()

    assert client.get(reverse("invoice_list")).status_code == 404
    for url in urls(invoice):
        assert client.get(url).status_code == 404
    assert client.post(reverse("invoice_credit", args=[invoice.pk]), CREDIT).status_code == 404
    assert client.post(reverse("invoice_rebill", args=[full_note.pk])).status_code == 404
    assert (Invoice.objects.count(), PreBill.objects.count()) == (invoices, prebills)


def test_another_firms_invoice_is_not_found_and_not_changed(client, firm, other_firm):
    login_as(client, firm, "admin")
    rows = other_firm_rows(other_firm)
    with firm_scope(other_firm):
        foreign = plain_invoice(other_firm, rows.matter, rows.timekeeper, "1.0", date(2026, 4, 2))
    with scopes_disabled():
        before = Invoice.objects.filter(firm=other_firm).count()

    for url in urls(foreign):
        assert client.get(url).status_code == 404
    assert client.post(reverse("invoice_credit", args=[foreign.pk]), CREDIT).status_code == 404
    assert client.post(reverse("invoice_rebill", args=[foreign.pk])).status_code == 404
    assert foreign.number not in client.get(reverse("invoice_list")).content.decode()
    with scopes_disabled():
        assert Invoice.objects.filter(firm=other_firm).count() == before
        assert Invoice.objects.get(pk=foreign.pk).pdf_sha256 == ""
