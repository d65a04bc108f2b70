"""Issue #8 item 8: the values an e-billing client, its matters and the firm's timekeepers put into LEDES files
fit the formats' fields; too long is refused at the save, naming the field and the limit, in every face."""

from datetime import date

import pytest
from django.urls import reverse

from lexbill.api.tests.billing_api_helpers import api_as
from lexbill.clients.models import Client, Matter
from lexbill.clients.services import client_create, client_update, matter_create, matter_update
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.ebilling.settings import client_create_with_settings, client_update_with_settings
from lexbill.exchange.tests.helpers import write_csv
from lexbill.staff.models import Timekeeper
from lexbill.staff.services import timekeeper_create, timekeeper_update
from lexbill.testing.settings_rows import set_client_settings

NAME_61 = "Consolidated International Widget Manufacturing Holdings, LLC"  # 61 characters
NUMBER_21 = "ACME-LITIGATION-00001"  # 21 characters


@pytest.fixture
def ebilling(client_acme):
    set_client_settings(client_acme, ledes_format="1998B")
    return client_acme


def _matter_fields(client, partner, number):
    return {"client": client, "number": number, "name": "Widget claim", "billing_attorney": partner,
            "opened_on": date(2026, 3, 2)}


def test_an_e_billing_clients_name_over_60_characters_is_refused_and_nothing_changes(firm, ebilling):
    assert len(NAME_61) == 61
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match=r"^name is 61 characters long; LEDES allows at most 60 in CLIENT_NAME "
                                               r"\(client ACME is billed in LEDES\)$") as refused:
        client_update(client=ebilling, actor=None, name=NAME_61)
    assert refused.value.field == "name"
    assert (Client.objects.get(pk=ebilling.pk).name, AuditEvent.objects.count()) == ("Acme Corp", events)


def test_a_client_not_billed_in_ledes_may_have_a_long_name(firm):
    assert client_create(firm=firm, actor=None, code="CIW", name=NAME_61).name == NAME_61


def test_a_client_asking_for_ledes_with_a_long_name_or_id_is_refused(firm):
    with pytest.raises(ValidationFailed, match="CLIENT_NAME"):
        client_create_with_settings(firm=firm, actor=None, code="CIW", name=NAME_61, wants_ledes=True)
    with pytest.raises(ValidationFailed, match=r"^LEDES client id is 21 characters long; LEDES allows at most 20 in "
                                               r"CLIENT_ID \(client CIW is billed in LEDES\)$"):
        client_create_with_settings(firm=firm, actor=None, code="CIW", name="CIW", wants_ledes=True,
                                    ledes_client_id="X" * 21)
    assert not Client.objects.filter(code="CIW").exists()


def test_an_e_billing_matter_number_over_20_characters_is_refused(firm, ebilling, partner):
    with pytest.raises(ValidationFailed, match=r"^matter number is 21 characters long; LEDES allows at most 20 in "
                                               r"LAW_FIRM_MATTER_ID \(client ACME is billed in LEDES\)$") as refused:
        matter_create(firm=firm, actor=None, **_matter_fields(ebilling, partner, NUMBER_21))
    assert refused.value.field == "number"
    assert not Matter.objects.filter(number=NUMBER_21).exists()


def test_an_e_billing_client_matter_id_over_20_characters_is_refused(firm, ebilling, matter):
    with pytest.raises(ValidationFailed, match="at most 20 in CLIENT_MATTER_ID") as refused:
        matter_update(matter=matter, actor=None, client_matter_id="PO-" + "9" * 18)
    assert refused.value.field == "client_matter_id"
    assert Matter.objects.get(pk=matter.pk).client_matter_id == ""


def test_a_client_whose_matter_number_is_too_long_cannot_start_billing_in_ledes(firm, client_acme, partner):
    matter_create(firm=firm, actor=None, **_matter_fields(client_acme, partner, NUMBER_21))
    with pytest.raises(ValidationFailed, match=rf"^matter {NUMBER_21}: its matter number is 21 characters long; "
                                               r"LEDES allows at most 20 in LAW_FIRM_MATTER_ID \(client ACME is "
                                               r"billed in LEDES: shorten it first\)$") as refused:
        client_update_with_settings(client=client_acme, actor=None, wants_ledes=True)
    assert refused.value.field == "wants_ledes"
    assert client_ebilling_settings(Client.objects.get(pk=client_acme.pk)).wants_ledes is False


def test_timekeeper_names_are_checked_once_the_firm_bills_in_ledes(firm, client_acme):
    # "Montgomery-Wellington, Alexandra" is 32 characters: TIMEKEEPER_NAME holds 30
    long_name = {"first_name": "Alexandra", "last_name": "Montgomery-Wellington", "classification": "AS",
                 "standard_rate_minor": 30000}
    assert timekeeper_create(firm=firm, actor=None, initials="AMW", **long_name).last_name == "Montgomery-Wellington"
    client_update_with_settings(client=client_acme, actor=None, wants_ledes=True)
    with pytest.raises(ValidationFailed, match=r"^name as \"Last, First\" is 32 characters long; LEDES allows at "
                                               r"most 30 in TIMEKEEPER_NAME \(the firm bills clients in LEDES\)$"):
        timekeeper_create(firm=firm, actor=None, initials="AM2", **long_name)
    tk = Timekeeper.objects.get(initials="AMW")
    with pytest.raises(ValidationFailed, match="TIMEKEEPER_NAME"):
        timekeeper_update(timekeeper=tk, actor=None, first_name="Alexandrina")
    assert not Timekeeper.objects.filter(initials="AM2").exists()
    assert Timekeeper.objects.get(pk=tk.pk).first_name == "Alexandra"


def test_the_api_answers_422_naming_the_field(firm, ebilling, partner):
    api, _ = api_as(firm, "admin")
    response = api.post("/matters/", {"client": "ACME", "number": NUMBER_21, "name": "X", "billing_attorney": "RA",
                                      "opened_on": "2026-02-01"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "matter number is 21 characters long; LEDES allows at most 20 in LAW_FIRM_MATTER_ID (client ACME "
                  "is billed in LEDES)", "code": "invalid", "field": "number"}
    assert not Matter.objects.filter(number=NUMBER_21).exists()


def test_the_web_form_shows_the_message_next_to_the_field(client, admin_user, ebilling, partner):
    client.force_login(admin_user)
    response = client.post(reverse("matter_create"), {
        "client": str(ebilling.pk), "number": NUMBER_21, "name": "Widget claim", "client_matter_id": "",
        "billing_attorney": str(partner.pk), "responsible_attorney": "", "status": "open", "opened_on": "2026-03-02",
        "closed_on": "", "fee_arrangement": "hourly", "fee_amount": "", "fee_percent": "", "billing_increment": "",
        "budget": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        "matter number is 21 characters long; LEDES allows at most 20 in LAW_FIRM_MATTER_ID (client ACME is billed "
        "in LEDES)"]
    assert not Matter.objects.filter(number=NUMBER_21).exists()


def test_the_cli_import_refuses_the_row_with_the_message(run, firm, ebilling, partner, tmp_path):
    path = write_csv(tmp_path / "m.csv", ["number", "client", "name", "billing_attorney", "opened_on"],
                     [[NUMBER_21, "ACME", "Widget claim", "RA", "2026-03-02"]])
    result = run("import", "matters", str(path), "--firm", "arnsley")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "lexbill: error: 1 bad row of 1; nothing imported",
        "  row 2: number: matter number is 21 characters long; LEDES allows at most 20 in LAW_FIRM_MATTER_ID "
        "(client ACME is billed in LEDES)"]
    assert not Matter.objects.filter(number=NUMBER_21).exists()
