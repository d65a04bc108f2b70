"""Events changed behind lexbill's back, with raw SQL and the row guards suspended: `audit verify` names them."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_scopes import scopes_disabled

from lexbill.core.audit import GENESIS, audit_record, audit_seal, audit_verify, chain_link
from lexbill.core.guards import guards_suspended
from lexbill.core.models import AuditChainHead, AuditEvent


@pytest.fixture
def chain(other_firm):  # type: ignore[no-untyped-def]
    """Five sealed events of one firm: ids in chain order."""
    with transaction.atomic():
        for n in range(1, 6):
            audit_record(firm=other_firm, actor=None, action="rate.update", entity="rate", entity_id=n,
                         before={"rate_minor": 30000}, after={"rate_minor": 30000 + n})
    audit_seal(firm_id=other_firm.pk)
    with scopes_disabled():
        return list(AuditEvent.objects.filter(firm=other_firm).order_by("seq").values_list("id", flat=True))


def sql(statement, params=()):  # type: ignore[no-untyped-def]
    with transaction.atomic(), guards_suspended(connection), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_has_no_problems(other_firm, chain):
    assert audit_verify(firm=other_firm) == []


def test_an_edited_event_is_named(other_firm, chain):
    sql("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"rate_minor": 99999}', chain[2]])

    assert audit_verify(firm=other_firm) == [
        f"event #3 (id {chain[2]}, rate.update rate 3) does not match its seal: edited, or not written by lexbill"]


def test_a_deleted_event_is_named(other_firm, chain):
    sql("DELETE FROM core_auditevent WHERE id = %s", [chain[1]])

    assert audit_verify(firm=other_firm) == [f"event #2 is missing before event #3 (id {chain[2]}, rate.update rate 3): "
                                             "deleted"]


def test_events_deleted_from_the_end_are_caught_by_the_head(other_firm, chain):
    sql("DELETE FROM core_auditevent WHERE id IN (%s, %s)", [chain[3], chain[4]])

    assert audit_verify(firm=other_firm) == [
        "the chain ends at event #3 but was sealed up to event #5: events were deleted from its end, or the head "
        "was changed"]


def test_an_event_inserted_by_sql_is_sealed_but_fails_its_mac(other_firm, chain):
    """The writer's mac needs SECRET_KEY, which the database does not hold: a row written by SQL cannot have it."""
    sql("INSERT INTO core_auditevent (firm_id, at, actor_label, action, entity, entity_id, before, after, mac, "
        "prev_hash, hash) VALUES (%s, %s, 'system', 'rate.update', 'rate', '9', NULL, %s, %s, '', '')",
        [other_firm.pk, "2026-06-30T09:00:00+00:00", '{"rate_minor": 1}', "f" * 64])

    with scopes_disabled():
        forged = AuditEvent.objects.get(entity_id="9")
    assert audit_verify(firm=other_firm) == [
        f"event #6 (id {forged.pk}, rate.update rate 9) does not match its seal: edited, or not written by lexbill"]


def test_an_event_replayed_into_the_middle_of_the_chain_is_named(other_firm, chain):
    """A copy of event #1 (its mac is valid) moved in as #3: the keyed links cannot be recomputed without the key."""
    sql("UPDATE core_auditevent SET seq = seq + 10 WHERE firm_id = %s AND seq >= 3", [other_firm.pk])
    sql("UPDATE core_auditevent SET seq = seq - 9 WHERE firm_id = %s AND seq >= 13", [other_firm.pk])
    sql("INSERT INTO core_auditevent (firm_id, seq, at, actor_label, action, entity, entity_id, before, after, mac, "
        "prev_hash, hash) SELECT firm_id, 3, at, actor_label, action, entity, entity_id, before, after, mac, hash, "
        "%s FROM core_auditevent WHERE id = %s", [chain_link(GENESIS, 3, "", "guessed key"), chain[0]])
    sql("UPDATE core_auditchainhead SET seq = 6 WHERE firm_id = %s", [other_firm.pk])
    with scopes_disabled():
        replayed = AuditEvent.objects.get(seq=3).pk

    # every renumbered event is reported too: its number is part of its link
    assert audit_verify(firm=other_firm) == [
        f"event #3 (id {replayed}, rate.update rate 1) does not follow event #2: the chain was rewritten here",
        *(f"event #{seq} (id {chain[seq - 2]}, rate.update rate {seq - 1}) does not follow event #{seq - 1}: "
          "the chain was rewritten here" for seq in (4, 5, 6))]


def test_the_database_refuses_to_change_or_delete_an_event(other_firm, chain):
    with scopes_disabled():
        before = list(AuditEvent.objects.order_by("id").values_list("id", "seq", "after", "hash"))
    for statement in ("UPDATE core_auditevent SET after = NULL WHERE id = %s",
                      "UPDATE core_auditevent SET seq = 9 WHERE id = %s",
                      "UPDATE core_auditevent SET hash = '' WHERE id = %s",
                      "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match=r"core_auditevent rows cannot (change|be deleted)"), \
                transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [chain[0]])
    with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic(), scopes_disabled():
        AuditEvent.objects.filter(firm=other_firm).update(actor_label="someone else")
    with scopes_disabled():
        assert list(AuditEvent.objects.order_by("id").values_list("id", "seq", "after", "hash")) == before
        assert AuditChainHead.objects.get(firm=other_firm).seq == 5
    assert audit_verify(firm=other_firm) == []
