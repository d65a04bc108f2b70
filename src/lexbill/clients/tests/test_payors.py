"""Setting a matter's payors (split billing): checked as a whole, audited, and the CLI around it."""

import pytest

from lexbill.clients.models import MatterPayor
from lexbill.clients.services_payors import PayorShare, matter_payors, matter_payors_set, parse_share
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories


@pytest.fixture
def insurer(firm):
    return factories.make_client(firm, code="INSCO", name="Insurance Co.")


def test_payors_are_replaced_as_a_whole_and_audited(matter, client_acme, insurer):
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 5000),
                                                         PayorShare(insurer, 5000, " CLM-1 ")])
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(insurer, 7000, "CLM-1"),
                                                         PayorShare(client_acme, 3000)])
    assert [(p.client.code, p.share_bp, p.client_matter_id) for p in matter_payors(matter)] == [
        ("INSCO", 7000, "CLM-1"), ("ACME", 3000, "")]
    events = AuditEvent.objects.filter(action="matter.payors").order_by("pk")
    assert [e.after["payors"][0]["share_bp"] for e in events] == [5000, 7000]
    assert events.last().before["payors"][0]["client"] in {"ACME", "INSCO"}
    matter_payors_set(matter=matter, actor=None, payors=[])
    assert not MatterPayor.objects.exists()


@pytest.mark.parametrize(("shares", "message"), [
    ([6000, 3000], "add up to 90.00 %"), ([6000, 6000], "add up to 120.00 %"), ([0, 10000], "more than 0 %")])
def test_shares_must_make_exactly_100_percent(matter, client_acme, insurer, shares, message):
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 10000)])
    with pytest.raises(ValidationFailed, match=message):
        matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, shares[0]),
                                                             PayorShare(insurer, shares[1])])
    assert [(p.client.code, p.share_bp) for p in matter_payors(matter)] == [("ACME", 10000)]  # unchanged


def test_a_client_listed_twice_or_of_another_firm_is_refused(matter, client_acme, other_firm):
    with pytest.raises(ValidationFailed, match="listed twice"):
        matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 5000),
                                                             PayorShare(client_acme, 5000)])
    stranger = factories.make_client(other_firm, code="STRANGER")
    with pytest.raises(ValidationFailed, match="no such client"):
        matter_payors_set(matter=matter, actor=None, payors=[PayorShare(stranger, 10000)])


@pytest.mark.parametrize(("text", "bp"), [("60", 6000), ("33.33", 3333), ("12.5 %", 1250), ("100", 10000)])
def test_shares_are_read_as_people_type_them(text, bp):
    assert parse_share(text) == bp


@pytest.mark.parametrize("text", ["sixty", "33.333", "1e400", "NaN"])
def test_unreadable_shares_are_refused(text):
    with pytest.raises(ValidationFailed):
        parse_share(text)


def test_cli_sets_shows_and_clears_payors(run, run_json, matter, insurer):
    result = run("matter", "payors", "ACME-001", "--set", "INSCO=60:CLM-9", "--set", "ACME=40")
    assert result.exit_code == 0, result.output
    assert "INSCO" in result.output and " 60.00 %" in result.output and "CLM-9" in result.output
    assert run_json("matter", "payors", "ACME-001")["payors"] == [
        {"client": "INSCO", "share_bp": 6000, "client_matter_id": "CLM-9"},
        {"client": "ACME", "share_bp": 4000, "client_matter_id": ""}]
    result = run("matter", "payors", "ACME-001", "--clear")
    assert "not split; ACME pays everything" in result.output
    assert not MatterPayor.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "INSCO=60", "--set", "ACME=30"], "add up to 90.00 %"),
    (["--set", "NOBODY=100"], "no client"),
    (["--set", "INSCO=sixty"], "not a percentage"),
])
def test_cli_refusals_are_one_line_and_change_nothing(run, matter, insurer, args, message):
    result = run("matter", "payors", "ACME-001", *args)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not MatterPayor.objects.exists()

