"""Migration core 0008: chains written under the firm lock (plain SHA-256 links) are checked, then re-sealed."""

import hashlib
import json
from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from lexbill.core.audit import audit_verify
from lexbill.core.models import AuditChainHead, AuditEvent, Firm

sealed_chain = import_module("lexbill.core.migrations.0008_audit_sealed_chain")

BEFORE = ("core", "0004_remove_firm_address")
AFTER = ("core", "0008_audit_sealed_chain")
AT = datetime(2026, 6, 30, 9, 15, tzinfo=UTC)


def _migrate(target):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def old_schema(transactional_db):  # type: ignore[no-untyped-def]
    try:
        yield _migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def old_chain(apps, firm, count):  # type: ignore[no-untyped-def]
    """Events as the old audit_record wrote them: seq 1..count, each hash = sha256(prev + payload)."""
    event_model = apps.get_model("core", "AuditEvent")
    prev = "0" * 64
    for seq in range(1, count + 1):
        event = event_model(firm=firm, seq=seq, at=AT, actor_label="system", action="rate.update", entity="rate",
                            entity_id=str(seq), before=None, after={"rate_minor": 30000 + seq}, prev_hash=prev)
        payload = {"seq": seq, "at": AT.isoformat(), "actor": "system", "action": "rate.update", "entity": "rate",
                   "entity_id": str(seq), "before": None, "after": {"rate_minor": 30000 + seq}}
        body = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
        event.hash = prev = hashlib.sha256((prev + body).encode()).hexdigest()
        event.save()


def test_an_intact_old_chain_is_resealed_with_keyed_links(old_schema):
    firm_model = old_schema.get_model("core", "Firm")
    old_chain(old_schema, firm_model.objects.create(name="A", slug="a"), 3)
    firm_model.objects.create(name="B", slug="b")

    _migrate(AFTER)

    with scopes_disabled():
        a, b = Firm.objects.get(slug="a"), Firm.objects.get(slug="b")
        assert list(AuditEvent.objects.filter(firm=a).order_by("seq").values_list("seq", "entity_id")) == [
            (1, "1"), (2, "2"), (3, "3")]
        assert [(h.firm_id, h.seq) for h in AuditChainHead.objects.order_by("firm_id")] == [(a.pk, 3), (b.pk, 0)]
    assert audit_verify(firm=a) == []
    assert audit_verify(firm=b) == []


def test_a_broken_old_chain_stops_the_migration_and_is_left_as_it_was(old_schema):
    firm_model = old_schema.get_model("core", "Firm")
    firm = firm_model.objects.create(name="A", slug="a")
    old_chain(old_schema, firm, 3)
    event_model = old_schema.get_model("core", "AuditEvent")
    event_model.objects.filter(seq=2).update(after={"rate_minor": 1})
    before = list(event_model.objects.order_by("seq").values_list("seq", "after", "hash"))

    with pytest.raises(RuntimeError, match=f"^the audit chain of firm {firm.pk} is broken at event 2; it cannot be "
                                           "re-sealed: restore it from a backup first$"):
        _migrate(AFTER)

    assert list(event_model.objects.order_by("seq").values_list("seq", "after", "hash")) == before
    event_model.objects.all().delete()  # so that the fixture can migrate forward again


def test_the_old_link_is_the_one_the_old_audit_record_wrote():
    """The migration's copy of the old algorithm: sha256 over the previous hash and the sorted, compact payload."""
    class Event:
        seq, at, actor_label, action, entity, entity_id, before, after = (
            1, AT, "system", "x", "y", "1", None, {"n": "1.10"})

    body = ('{"action":"x","actor":"system","after":{"n":"1.10"},"at":"2026-06-30T09:15:00+00:00","before":null,'
            '"entity":"y","entity_id":"1","seq":1}')
    assert sealed_chain._plain_link("0" * 64, Event) == hashlib.sha256(("0" * 64 + body).encode()).hexdigest()
