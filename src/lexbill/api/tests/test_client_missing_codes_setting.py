"""The client's missing-codes setting (refuse | warn) through the CLI, the API and the client form
(issue #9 item 6)."""

import json

import pytest
from django.urls import reverse

from lexbill.billing.models import ClientBillingSettings, MissingCodes, client_billing_settings
from lexbill.clients.models import Client
from lexbill.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _setting(client: Client) -> str:
    return client_billing_settings(Client.objects.get(pk=client.pk)).missing_codes


def test_the_api_literal_is_the_models_choices():
    from lexbill.api.schemas import MissingCodesSetting

    assert list(MissingCodesSetting.__args__) == MissingCodes.values


def test_cli_shows_and_changes_the_setting(run, client_acme):
    shown = json.loads(run("client", "settings", "ACME", "--json").stdout)
    assert shown == {"client": "ACME", "tax_method": "", "missing_codes": "refuse", "utbms_code_sets": []}
    result = run("client", "settings", "ACME", "--missing-codes", "warn")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["settings of client ACME saved", "client:            ACME",
                                              "tax_method:        "]
    assert _setting(client_acme) == "warn"
    assert AuditEvent.objects.get(action="client.billing_settings").after == {"missing_codes": "warn"}


def test_cli_refuses_a_bad_value_and_an_unknown_client(run, client_acme):
    bad = run("client", "settings", "ACME", "--missing-codes", "ignore")
    assert (bad.exit_code, len(bad.stderr.splitlines())) == (1, 1)  # a usage error: one line
    unknown = run("client", "settings", "NOPE", "--missing-codes", "warn")
    assert (unknown.exit_code, unknown.stderr) == (1, f"lexbill: error: no client NOPE in firm {client_acme.firm.slug}\n")
    assert not ClientBillingSettings.objects.exists()


def test_api_reads_and_patches_the_setting(api, client_acme):
    assert api.get(f"/clients/{client_acme.pk}").json()["missing_codes"] == "refuse"
    response = api.patch(f"/clients/{client_acme.pk}", {"missing_codes": "warn"})
    assert (response.status_code, response.json()["missing_codes"]) == (200, "warn")
    assert _setting(client_acme) == "warn"
    refused = api.patch(f"/clients/{client_acme.pk}", {"missing_codes": "sometimes"})
    assert refused.status_code == 422
    assert _setting(client_acme) == "warn"


def test_the_client_form_sets_it_and_the_page_shows_it(client, admin_user, client_acme):
    client.force_login(admin_user)
    form = {"code": "ACME", "name": "Acme Corp", "country": "US", "currency": "USD", "payment_terms_days": "30",
            "is_active": "on"}
    assert client.get(reverse("client_edit", args=[client_acme.pk])).context["form"]["missing_codes"].value() == \
        "refuse"
    assert client.post(reverse("client_edit", args=[client_acme.pk]), {**form, "missing_codes": "warn"}).status_code \
        == 302
    assert _setting(client_acme) == "warn"
    page = client.get(reverse("client_detail", args=[client_acme.pk])).content.decode()
    assert '<dd id="client-missing-codes">Warn on the pre-bill, approve anyway</dd>' in page
    # a form posted without the field keeps the setting
    assert client.post(reverse("client_edit", args=[client_acme.pk]), form).status_code == 302
    assert _setting(client_acme) == "warn"
