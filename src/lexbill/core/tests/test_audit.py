"""The audit trail: events written without a lock, sealed into a keyed chain once their transaction commits."""

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from lexbill.core.audit import GENESIS, audit_check, audit_record, audit_seal, audit_verify, chain_link, event_mac
from lexbill.core.models import AuditChainHead, AuditEvent
from lexbill.core.tenancy import firm_scope
from lexbill.staff.services import timekeeper_update
from lexbill.testing import factories

AT = datetime(2026, 6, 30, 9, 15, tzinfo=UTC)


def record(firm, action="test", **extra):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return audit_record(firm=firm, actor=None, action=action, entity="x", entity_id=1, at=AT, **extra)


def sealed(firm):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return list(AuditEvent.objects.filter(firm=firm).order_by("seq").values_list("seq", "action"))


@pytest.mark.django_db(transaction=True)
def test_a_service_write_is_sealed_into_the_chain_when_its_transaction_commits():
    """Real commits (and, at teardown, a flush that must get past the guards of sealed events)."""
    firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    with firm_scope(firm):
        admin = factories.make_user(firm, email="admin@arnsley.example")
        associate = factories.make_timekeeper(firm, initials="JD", standard_rate_minor=30000)
        committed = AuditEvent.objects.filter(firm=firm).count()

        timekeeper_update(timekeeper=associate, actor=admin, standard_rate_minor=32500)

        events = list(AuditEvent.objects.filter(firm=firm).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, committed + 2))
    last = events[-1]
    assert (last.action, last.actor_label, last.before, last.after) == (
        "timekeeper.update", "admin@arnsley.example", {"standard_rate_minor": 30000}, {"standard_rate_minor": 32500})
    assert [e.prev_hash for e in events] == [GENESIS] + [e.hash for e in events[:-1]]
    assert all(e.hash == chain_link(p.hash, e.seq, e.mac) for p, e in itertools.pairwise(events))
    head = AuditChainHead.objects.get(firm=firm)
    assert (head.seq, head.hash) == (committed + 1, last.hash)
    assert audit_check(firm=firm).sealed_now == 0
    assert audit_verify(firm=firm) == []


def test_the_first_event_of_a_transaction_seals_itself_when_the_head_is_free(other_firm):
    with transaction.atomic():
        first = audit_record(firm=other_firm, actor=None, action="first", entity="x", entity_id=1, at=AT,
                             after={"amount": Decimal("1.10")})
        second = audit_record(firm=other_firm, actor=None, action="second", entity="x", entity_id=2, at=AT)

    with scopes_disabled():
        stored = {e.action: e for e in AuditEvent.objects.filter(firm=other_firm)}
    assert (stored["first"].seq, stored["first"].prev_hash, stored["first"].at, stored["first"].after) == (
        1, GENESIS, AT, {"amount": "1.10"})
    assert stored["first"].hash == chain_link(GENESIS, 1, first.mac)
    # the later events of the transaction wait for the sealer its commit runs
    assert (stored["second"].seq, stored["second"].prev_hash, stored["second"].hash) == (None, "", "")
    assert [stored[a].mac for a in ("first", "second")] == [event_mac(stored["first"]), event_mac(stored["second"])]
    assert second.mac != first.mac

    assert audit_seal(firm_id=other_firm.pk) == 1
    assert sealed(other_firm) == [(1, "first"), (2, "second")]


def test_a_transaction_registers_one_sweep_whatever_it_records(other_firm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            audit_record(firm=other_firm, actor=None, action=f"test.{n}", entity="x", entity_id=n)
    # it holds the head (its first event sealed itself): one sweep after its commit seals the two others
    assert [type(c).__name__ for c in callbacks] == ["_HeadHeld"]


def test_a_rolled_back_transaction_leaves_no_hole_in_the_chain(other_firm):
    record(other_firm, "first")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(firm=other_firm, actor=None, action="rolled.back", entity="x", entity_id=2)
        raise RuntimeError("the change fails")
    record(other_firm, "third")

    report = audit_check(firm=other_firm)

    assert (report.sealed_now, report.events, report.problems) == (1, 2, [])
    assert sealed(other_firm) == [(1, "first"), (2, "third")]


def test_a_rolled_back_savepoint_gives_back_the_place_it_sealed(other_firm):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(firm=other_firm, actor=None, action="rolled.back", entity="x", entity_id=1)
        raise RuntimeError("the change fails")
    record(other_firm, "kept")

    assert sealed(other_firm) == [(1, "kept")]
    assert AuditChainHead.objects.get(firm=other_firm).seq == 1
    assert audit_verify(firm=other_firm) == []


def test_sealing_appends_to_the_chain_without_touching_sealed_events(other_firm):
    first = record(other_firm, "first")
    assert audit_seal(firm_id=other_firm.pk) == 0
    with scopes_disabled():
        before = AuditEvent.objects.values_list("seq", "prev_hash", "hash").get(pk=first.pk)
    record(other_firm, "second")

    assert (audit_seal(firm_id=other_firm.pk), audit_seal(firm_id=other_firm.pk)) == (1, 0)

    with scopes_disabled():
        assert AuditEvent.objects.values_list("seq", "prev_hash", "hash").get(pk=first.pk) == before
        second = AuditEvent.objects.get(action="second")
    assert (second.seq, second.prev_hash) == (2, before[2])


def test_firms_have_separate_chains(firm, other_firm):
    record(other_firm, after={"amount": Decimal("1.10")})
    audit_seal(firm_id=other_firm.pk)
    with scopes_disabled():
        other = AuditEvent.objects.get(firm=other_firm, action="test")
    assert (other.seq, other.prev_hash, other.after) == (1, GENESIS, {"amount": "1.10"})
    assert audit_verify(firm=other_firm) == []
    assert audit_verify(firm=firm) == []
