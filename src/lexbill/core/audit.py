"""The audit trail: every change to records, time or money leaves an event in a per-firm hash chain.

`audit_record` must be called inside the service's transaction, so the event and the change commit
together or not at all. The firm row is locked to hand out gapless sequence numbers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import AuditEvent, Firm

GENESIS = "0" * 64


class _AuditEncoder(DjangoJSONEncoder):
    """Related rows are recorded by primary key; Decimals and dates as strings."""

    def default(self, o: Any) -> Any:
        if isinstance(o, models.Model):
            return o.pk
        return super().default(o)


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else json.loads(json.dumps(data, cls=_AuditEncoder))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-ready picture of a row (Decimals and dates as strings)."""
    data = model_to_dict(instance, fields=fields)
    return _jsonable(data) or {}


def _digest(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }


def audit_record(
    *,
    firm: Firm,
    actor: User | None,
    action: str,
    instance: models.Model | None = None,
    entity: str | None = None,
    entity_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    Firm.objects.select_for_update().filter(pk=firm.pk).first()
    with scopes_disabled():
        last = AuditEvent.objects.filter(firm=firm).order_by("-seq").values("seq", "hash").first()
    event = AuditEvent(
        firm=firm,
        seq=(last["seq"] + 1) if last else 1,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(getattr(actor, "email", "") or str(actor)) if actor is not None else "system",
        action=action,
        entity=entity or (instance._meta.model_name or "" if instance is not None else ""),
        entity_id=str(entity_id if entity_id is not None else getattr(instance, "pk", "")),
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = _digest(event.prev_hash, _payload(event))
    event.save()
    return event


def audit_verify(*, firm: Firm) -> list[str]:
    """Problems found in the firm's chain (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    with scopes_disabled():
        events = AuditEvent.objects.filter(firm=firm).order_by("seq").iterator()
        for event in events:
            if event.seq != expected_seq:
                problems.append(f"gap: expected event {expected_seq}, found {event.seq}")
            if event.prev_hash != prev or event.hash != _digest(prev, _payload(event)):
                problems.append(f"event {event.seq} was altered")
            prev = event.hash
            expected_seq = event.seq + 1
    return problems
