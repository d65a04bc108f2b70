"""E-billing settings owned by ebilling (not Firm and Client): defaults while a firm or client has no row,
choices that match what lexbill writes, every face writing through ebilling/settings.py, refusals that write
nothing."""

import pytest

from lexbill.billing.models import ClientBillingSettings, client_billing_settings
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.ledes.formats import FORMATS
from lexbill.ebilling.ledes.profiles import PROFILES
from lexbill.ebilling.models import (
    ClientEbillingSettings,
    FirmEbillingSettings,
    LedesFormat,
    LedesProfileName,
    client_ebilling_settings,
    firm_ebilling_settings,
)
from lexbill.ebilling.settings import client_settings_update, firm_ebilling_settings_update
from lexbill.exchange.exporters import export_file
from lexbill.exchange.tests.helpers import run_import, write_csv

CLIENT_FIELDS = ("ledes_client_id", "wants_ledes", "ebilling_portal", "ledes_format", "ledes_profile",
                 "submission_deadline_days")


def stored(client):
    return list(ClientEbillingSettings.objects.filter(client=client).values_list(*CLIENT_FIELDS))


def test_the_choices_are_the_formats_and_profiles_lexbill_writes():
    assert LedesFormat.values == list(FORMATS)
    assert LedesProfileName.values == list(PROFILES)


def test_a_firm_or_client_without_a_row_reads_the_defaults(firm, client_acme):
    settings = client_ebilling_settings(client_acme)
    assert ([getattr(settings, f) for f in CLIENT_FIELDS], settings.pk) == (["", False, "", "", "", None],
                                                                            client_acme.pk)
    assert firm_ebilling_settings(firm).ledes_law_firm_id == ""
    assert client_billing_settings(client_acme).tax_method == ""
    assert not ClientEbillingSettings.objects.exists() and not FirmEbillingSettings.objects.exists()


def test_a_clients_settings_are_stored_normalised_and_audited_by_their_owners(firm, client_acme):
    client_settings_update(client=client_acme, actor=None, tax_method="per_line", ledes_client_id=" ACME-L ",
                           wants_ledes=True, ebilling_portal="Tymetrix", ledes_format="1998bi",
                           ledes_profile="Brightflag", submission_deadline_days=60)

    assert stored(client_acme) == [("ACME-L", True, "Tymetrix", "1998BI", "brightflag", 60)]
    assert list(ClientBillingSettings.objects.values_list("client__code", "tax_method")) == [("ACME", "per_line")]
    events = {e.action: (e.entity, e.entity_id, e.after) for e in AuditEvent.objects.filter(entity="client")
              .exclude(action="client.create")}
    assert events == {
        "client.billing_settings": ("client", str(client_acme.pk), {"tax_method": "per_line"}),
        "client.ebilling_settings": ("client", str(client_acme.pk), {
            "ledes_client_id": "ACME-L", "wants_ledes": True, "ebilling_portal": "Tymetrix", "ledes_format": "1998BI",
            "ledes_profile": "brightflag", "submission_deadline_days": 60})}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ledes_format": "2000"}, "ledes_format", "unknown LEDES format '2000' (choose from 1998B, 1998BI, XML2.1, or "
                                               "empty for 1998B)"),
    ({"ledes_profile": "odd"}, "ledes_profile", "unknown LEDES profile 'odd' (choose from standard, legacy, "
                                                "ecounsel, brightflag, collaborati, strict)"),
    ({"ledes_client_id": "AC|ME"}, "ledes_client_id", "the LEDES client id cannot contain a line break, | or [ ]"),
    ({"ledes_client_id": "X" * 41}, "ledes_client_id", None),
    ({"tax_method": "vat"}, "tax_method", "unknown tax method 'vat' (choose from none, per_line, on_total, or "
                                          "empty for the firm's)"),
    ({"is_active": False}, "is_active", "cannot change: is_active"),
])
def test_a_bad_value_refuses_billing_and_ebilling_settings_together(firm, client_acme, changes, field, message):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        # A good tax method and a good portal beside the bad value: neither is written.
        client_settings_update(client=client_acme, actor=None,
                               **{"tax_method": "on_total", "ebilling_portal": "Tymetrix", **changes})

    assert exc.value.field == field
    if message is not None:
        assert exc.value.message == message
    assert not ClientBillingSettings.objects.exists() and not ClientEbillingSettings.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_firms_ledes_law_firm_id_is_stored_and_audited(firm, admin_user):
    firm_ebilling_settings_update(firm=firm, actor=admin_user, ledes_law_firm_id=" 12-3456789 ")

    assert firm_ebilling_settings(firm).ledes_law_firm_id == "12-3456789"
    event = AuditEvent.objects.get(action="firm.ebilling_settings")
    assert (event.entity, event.entity_id, event.before, event.after) == (
        "firm", str(firm.pk), {"ledes_law_firm_id": ""}, {"ledes_law_firm_id": "12-3456789"})


@pytest.mark.parametrize(("value", "message"), [("12|345", "the LEDES law firm id cannot contain a line break, | or [ ]"),
                                                ("1" * 21, None)])
def test_a_bad_ledes_law_firm_id_is_refused_and_nothing_is_written(firm, admin_user, value, message):
    with pytest.raises(ValidationFailed) as exc:
        firm_ebilling_settings_update(firm=firm, actor=admin_user, ledes_law_firm_id=value)

    assert exc.value.field == "ledes_law_firm_id"
    if message is not None:
        assert exc.value.message == message
    assert not FirmEbillingSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="firm.ebilling_settings").exists()


def test_a_client_import_sets_the_ledes_client_id_and_the_export_gives_it_back(firm, client_acme, tmp_path):
    header = ["code", "name", "ledes_client_id"]
    result = run_import(firm, "clients", write_csv(tmp_path / "c.csv", header,
                                                   [["ACME", "Acme Corp", "ACME-L"], ["NEW", "New Co", ""]]))

    assert (result.problems, result.created, result.updated, result.unchanged) == ([], 1, 1, 0)
    assert list(ClientEbillingSettings.objects.values_list("client__code", "ledes_client_id")) == [("ACME", "ACME-L")]
    export_file(firm=firm, kind="clients", path=tmp_path / "out.csv", fmt="csv")
    again = run_import(firm, "clients", tmp_path / "out.csv")
    assert (again.problems, again.created, again.updated, again.unchanged) == ([], 0, 0, 2)
    assert "ACME-L" in (tmp_path / "out.csv").read_text()
