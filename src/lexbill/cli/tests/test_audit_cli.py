"""`lexbill audit verify` and `lexbill audit seal` on a real chain, intact and tampered with."""

import json

from django.db import connection
from django_scopes import scopes_disabled

from lexbill.core.audit import audit_record
from lexbill.core.guards import guards_suspended
from lexbill.core.models import AuditChainHead, AuditEvent
from lexbill.core.transactions import service_transaction


def three_events(firm):  # type: ignore[no-untyped-def]
    with service_transaction():  # as a service writes its events: in its own transaction
        for n in (1, 2, 3):
            audit_record(firm=firm, actor=None, action="client.update", entity="client", entity_id=n,
                         before={"name": "Acme"}, after={"name": f"Acme {n}"})
    with scopes_disabled():
        return list(AuditEvent.objects.filter(firm=firm).order_by("id").values_list("id", flat=True))


def test_seal_chains_the_pending_events(other_firm, run_json):
    three_events(other_firm)

    # the first event sealed itself in its transaction; the two others wait for a sealer
    assert run_json("audit", "seal", "--firm", "other") == {"firm": "other", "sealed": 2}
    assert run_json("audit", "seal", "--firm", "other") == {"firm": "other", "sealed": 0}


def test_verify_reports_an_intact_chain(other_firm, run):
    three_events(other_firm)

    result = run("audit", "verify", "--firm", "other")

    head = AuditChainHead.objects.get(firm=other_firm)
    assert (result.exit_code, result.stdout) == (0, f"other: 3 events, chain intact; head #3 {head.hash}\n")


def test_verify_names_the_first_broken_link_and_exits_1(other_firm, run):
    ids = three_events(other_firm)
    run("audit", "seal", "--firm", "other")
    # behind lexbill's back, inside the test's own transaction
    with guards_suspended(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET after = '{\"name\": \"Forged\"}' WHERE id = %s", [ids[1]])
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [ids[2]])

    result = run("audit", "verify", "--firm", "other")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"lexbill: error: the audit chain of other is broken: event #2 (id {ids[1]}, client.update client 2) does not "
        "match its seal: edited, or not written by lexbill (1 more problem: --json lists them)\n")
    listed = json.loads(run("audit", "verify", "--firm", "other", "--json").stdout)
    assert (listed["intact"], listed["events"], listed["problems"][1]) == (
        False, 2, "the chain ends at event #2 but was sealed up to event #3: events were deleted from its end, or "
                  "the head was changed")
