"""The client form carries the billing choices that issue and bill runs read: tax method, LEDES, consolidation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lexbill.billing.models import ClientBillingSettings, client_billing_settings
from lexbill.billing.services.settings import client_billing_settings_update
from lexbill.clients.models import Client
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import ClientEbillingSettings, client_ebilling_settings

from .records_support import audit_count

EDIT = {"code": "ACME", "name": "Acme Corp", "country": "US", "currency": "USD", "payment_terms_days": "30",
        "is_active": "on"}


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def billing_fields(client):
    """The tax method (billing's row), the LEDES file choice (e-billing's) and consolidation (the client's)."""
    fresh = Client.objects.get(pk=client.pk)
    return (client_billing_settings(fresh).tax_method, client_ebilling_settings(fresh).wants_ledes,
            fresh.is_consolidated_billing)


def test_the_edit_form_sets_the_billing_fields(admin, client_acme):
    response = admin.post(reverse("client_edit", args=[client_acme.pk]), {
        **EDIT, "tax_method": "per_line", "wants_ledes": "on", "is_consolidated_billing": "on"})

    assert response.status_code == 302
    assert billing_fields(client_acme) == ("per_line", True, True)
    # Each owner records its own change.
    assert AuditEvent.objects.get(action="client.update").after == {"is_consolidated_billing": True}
    assert AuditEvent.objects.get(action="client.billing_settings").after == {"tax_method": "per_line"}
    assert AuditEvent.objects.get(action="client.ebilling_settings").after == {"wants_ledes": True}
    page = admin.get(reverse("client_detail", args=[client_acme.pk])).content
    assert b"<dt>Tax method</dt><dd>per_line</dd>" in page
    assert b"<dt>LEDES file with invoices</dt><dd>Yes</dd>" in page


def test_an_empty_tax_method_means_the_firms(admin, client_acme):
    client_billing_settings_update(client=client_acme, actor=None, tax_method="on_total")

    admin.post(reverse("client_edit", args=[client_acme.pk]), {**EDIT, "tax_method": ""})

    assert billing_fields(client_acme) == ("", False, False)
    form = admin.get(reverse("client_edit", args=[client_acme.pk])).context["form"]
    assert form["tax_method"].value() == ""


def test_an_unknown_tax_method_is_refused_and_nothing_changes(admin, client_acme):
    events = audit_count()

    response = admin.post(reverse("client_edit", args=[client_acme.pk]), {**EDIT, "tax_method": "vat",
                                                                          "wants_ledes": "on"})

    assert response.context["form"].errors == {
        "tax_method": ["Select a valid choice. vat is not one of the available choices."]}
    assert billing_fields(client_acme) == ("", False, False)
    assert audit_count() == events
    assert not ClientBillingSettings.objects.exists() and not ClientEbillingSettings.objects.exists()


def test_the_service_refuses_an_unknown_tax_method_too(client_acme):
    with pytest.raises(ValidationFailed) as exc:
        client_billing_settings_update(client=client_acme, actor=None, tax_method="vat")

    assert (exc.value.field, exc.value.message) == (
        "tax_method", "unknown tax method 'vat' (choose from none, per_line, on_total, or empty for the firm's)")
    assert billing_fields(client_acme) == ("", False, False)
