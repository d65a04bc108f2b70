import itertools
from decimal import Decimal

from django.db import transaction
from django_scopes import scopes_disabled

from lexbill.core.audit import audit_record, audit_verify
from lexbill.core.models import AuditEvent
from lexbill.staff.services import timekeeper_update


def test_every_service_write_leaves_a_chained_event(firm, matter, associate, admin_user):
    timekeeper_update(timekeeper=associate, actor=admin_user, standard_rate_minor=32500)
    events = list(AuditEvent.objects.filter(firm=firm).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    last = events[-1]
    assert (last.action, last.actor_label, last.before, last.after) == (
        "timekeeper.update", "admin@arnsley.example", {"standard_rate_minor": 30000}, {"standard_rate_minor": 32500})
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(events))
    assert audit_verify(firm=firm) == []


def test_an_altered_event_is_detected(firm, matter):
    event = AuditEvent.objects.filter(firm=firm).order_by("seq").first()
    AuditEvent.objects.filter(pk=event.pk).update(after={"name": "forged"})
    assert audit_verify(firm=firm) == [f"event {event.seq} was altered"]


def test_a_deleted_event_is_detected(firm, matter):
    events = list(AuditEvent.objects.filter(firm=firm).order_by("seq"))
    assert len(events) >= 3
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    problems = audit_verify(firm=firm)
    assert "gap: expected event 2, found 3" in problems


def test_firms_have_separate_chains(firm, other_firm):
    with transaction.atomic():
        audit_record(firm=other_firm, actor=None, action="test", entity="x", entity_id=1,
                     after={"amount": Decimal("1.10")})
    with scopes_disabled():
        other = AuditEvent.objects.get(firm=other_firm)
    assert (other.seq, other.after) == (1, {"amount": "1.10"})
    assert audit_verify(firm=other_firm) == []
