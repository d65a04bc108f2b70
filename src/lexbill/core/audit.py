"""The audit trail: every change to records, time or money leaves an event in a per-firm hash chain.

Design (docs/adr/0013-audit-chain.md): writers never wait for each other.

1. `audit_record` runs inside the service's transaction, so the event and the change commit together or not
   at all. It stores the event with `mac`, a keyed hash (HMAC of SECRET_KEY) of its content.
2. Sealing gives events of the firm their place: the next `seq`, the previous event's hash, and `hash` =
   HMAC(prev_hash, seq, mac). The firm's `AuditChainHead` row is the sealer's lock, always taken with SKIP
   LOCKED: whoever finds it taken goes on without waiting, and its events stay unsealed for the holder's
   successor. The first event of a transaction tries the head: when free, it seals the pending events and
   itself right there (one request alone pays no extra transaction), and after its commit sweeps what
   others left pending meanwhile. A transaction that found the head taken leaves its event to that sweep
   or to the next writer that finds the head free; when it records several (a bill run records hundreds),
   a sealer runs once after its commit. An event can so stay pending until the firm's next write,
   `lexbill audit seal` or `audit verify`; meanwhile the row guard and its mac protect it.
3. `audit_verify` seals what is pending (waiting for a holder), then recomputes every mac and link and names
   the first broken one.

A rolled-back transaction leaves no event and so no hole in `seq` (ids from the sequence may skip; the chain
does not use them). Edited content fails its mac, a row inserted by SQL has no valid mac (the key is not in
the database), a deleted row leaves a hole in `seq`, and rows deleted at the end disagree with the head.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_scopes import scopes_disabled

from .models import AuditChainHead, AuditEvent, Firm

GENESIS = "0" * 64
SEAL_FIELDS = ("seq", "prev_hash", "hash")  # set once by the sealer; every other column is written once
SEAL_BATCH = 1000
_MAC_SALT = "lexbill.audit.event"
_LINK_SALT = "lexbill.audit.link"


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


def _secrets() -> list[str]:
    # Rotating SECRET_KEY keeps the old key in SECRET_KEY_FALLBACKS, so older events still verify.
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _content(event: Any) -> str:
    """The canonical text of what an event says (not where it sits in the chain)."""
    return json.dumps({
        "firm": event.firm_id,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))


def event_mac(event: Any, secret: str | None = None) -> str:
    """Keyed hash of the event's content. Takes any object with the event's attributes (migrations pass
    historical model instances)."""
    return salted_hmac(_MAC_SALT, _content(event), secret=secret, algorithm="sha256").hexdigest()


def chain_link(prev_hash: str, seq: int, mac: str, secret: str | None = None) -> str:
    """The event's hash in the chain: keyed, so a rewritten chain cannot be recomputed without the key."""
    return salted_hmac(_LINK_SALT, f"{prev_hash}:{seq}:{mac}", secret=secret, algorithm="sha256").hexdigest()


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
    event = AuditEvent(
        firm=firm,
        at=(at or timezone.now()).astimezone(UTC),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(getattr(actor, "email", "") or str(actor)) if actor is not None else "system",
        action=action,
        entity=entity or (instance._meta.model_name or "" if instance is not None else ""),
        entity_id=str(entity_id if entity_id is not None else getattr(instance, "pk", "")),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    event.mac = event_mac(event)
    with scopes_disabled():
        if not _registered(firm.pk):  # the transaction's first event of this firm
            head = _lock_head(firm.pk, wait=False)
            if head is not None:
                # The head was free: seal what is pending and this event now, in this transaction (no wait,
                # no second transaction). Other writers find the head taken and skip it until we commit.
                pending = _pending(firm.pk)
                _chain(head, [*pending, event])
                AuditEvent.objects.bulk_update(pending, list(SEAL_FIELDS))
                event.save()
                head.save()
                transaction.on_commit(_HeadHeld(firm.pk), robust=True)
            else:
                # Taken: the holder's sweep after its commit, or the next writer that finds the head free,
                # seals this event. A writer of one event pays nothing more.
                event.save()
                transaction.on_commit(_HeadTaken(firm.pk))
        else:
            event.save()
            if _registered(firm.pk, _HeadTaken) and not _registered(firm.pk, _SealOnCommit):
                # several events, none sealed: one sealer for them all after the commit
                transaction.on_commit(_SealOnCommit(firm.pk), robust=True)
    return event


@dataclass(frozen=True)
class _SealOnCommit:
    firm_id: int

    def __call__(self) -> None:
        audit_seal(firm_id=self.firm_id)


@dataclass(frozen=True)
class _HeadHeld:
    """Marks (among the transaction's on-commit callbacks, so a rolled-back savepoint drops it with the row lock
    it stands for) that this transaction holds the firm's head. After the commit, it seals what writers that
    found the head taken left pending meanwhile: one indexed read when there is nothing."""

    firm_id: int

    def __call__(self) -> None:
        with scopes_disabled():
            if AuditEvent.objects.filter(firm_id=self.firm_id, seq__isnull=True).exists():
                audit_seal(firm_id=self.firm_id)


@dataclass(frozen=True)
class _HeadTaken:
    """Marks that this transaction's first event found the firm's head taken (nothing to do on commit)."""

    firm_id: int

    def __call__(self) -> None:
        pass


def _registered(firm_id: int, *kinds: type) -> bool:
    """Whether this transaction has recorded an event of the firm already (and what it found)."""
    kinds = kinds or (_HeadHeld, _HeadTaken)
    connection = transaction.get_connection()
    return any(isinstance(callback, kinds) and getattr(callback, "firm_id", None) == firm_id
               for _savepoints, callback, *_rest in getattr(connection, "run_on_commit", []))


def _pending(firm_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(firm_id=firm_id, seq__isnull=True).order_by("id")
                .only("id", "mac")[:SEAL_BATCH])


def _chain(head: AuditChainHead, events: list[AuditEvent]) -> None:
    for event in events:
        head.seq += 1
        event.seq, event.prev_hash = head.seq, head.hash
        event.hash = head.hash = chain_link(event.prev_hash, event.seq, event.mac)
    head.sealed_at = timezone.now()


def _lock_head(firm_id: int, *, wait: bool) -> AuditChainHead | None:
    """The firm's head row, locked; None when another transaction holds it and `wait` is false."""
    return AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(firm_id=firm_id).first()


def _lock_or_create_head(firm_id: int, *, wait: bool) -> AuditChainHead | None:
    head = _lock_head(firm_id, wait=wait)
    if head is None and wait and not AuditChainHead.objects.filter(firm_id=firm_id).exists():
        # firm_create makes the head with the firm (migration core 0008 made those of older firms); this is for
        # firms made otherwise, by `audit seal` and `audit verify` only. Never inside a writer's transaction: a
        # second writer would wait for the first one's uncommitted insert.
        AuditChainHead.objects.bulk_create([AuditChainHead(firm_id=firm_id)], ignore_conflicts=True)
        head = _lock_head(firm_id, wait=wait)
    return head


def audit_seal(*, firm_id: int, wait: bool = False) -> int:
    """Chain the firm's unsealed events in id order; returns how many were sealed. Without `wait`, a sealer
    that finds another one at work returns 0 at once."""
    sealed = 0
    with scopes_disabled():
        while True:
            with transaction.atomic():
                head = _lock_or_create_head(firm_id, wait=wait)
                if head is None:
                    return sealed
                batch = _pending(firm_id)
                if not batch:
                    return sealed
                _chain(head, batch)
                AuditEvent.objects.bulk_update(batch, list(SEAL_FIELDS))
                head.save()
                sealed += len(batch)
            if len(batch) < SEAL_BATCH:
                return sealed


@dataclass
class ChainReport:
    """What `audit verify` found: problems in chain order, so the first is the first broken link."""

    events: int = 0
    sealed_now: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)


def _describe(event: AuditEvent) -> str:
    return f"event #{event.seq} (id {event.pk}, {event.action} {event.entity} {event.entity_id})"


def _mac_matches(event: AuditEvent, secrets: list[str]) -> bool:
    return any(constant_time_compare(event.mac, event_mac(event, s)) for s in secrets)


def _link_matches(event: AuditEvent, prev_hash: str, secrets: list[str]) -> bool:
    assert event.seq is not None
    return event.prev_hash == prev_hash and any(
        constant_time_compare(event.hash, chain_link(prev_hash, event.seq, event.mac, s)) for s in secrets)


def audit_check(*, firm: Firm) -> ChainReport:
    """Seal what is pending, then recompute the firm's whole chain."""
    report = ChainReport(sealed_now=audit_seal(firm_id=firm.pk, wait=True))
    secrets = _secrets()
    prev_hash, expected = GENESIS, 1
    with scopes_disabled():
        head = AuditChainHead.objects.filter(firm_id=firm.pk).first()
        events = AuditEvent.objects.filter(firm_id=firm.pk, seq__isnull=False).order_by("seq").iterator(2000)
        for event in events:
            assert event.seq is not None
            report.events += 1
            if event.seq != expected:
                missing = f"#{expected}" if event.seq == expected + 1 else f"#{expected} to #{event.seq - 1}"
                report.problems.append(f"event {missing} is missing before {_describe(event)}: deleted")
            elif not _mac_matches(event, secrets):
                report.problems.append(f"{_describe(event)} does not match its seal: edited, or not written "
                                       "by lexbill")
            elif not _link_matches(event, prev_hash, secrets):
                report.problems.append(f"{_describe(event)} does not follow event #{event.seq - 1}: the chain "
                                       "was rewritten here")
            prev_hash, expected = event.hash, event.seq + 1
        report.head_seq, report.head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        if (report.head_seq, report.head_hash) != (expected - 1, prev_hash):
            report.problems.append(f"the chain ends at event #{expected - 1} but was sealed up to event "
                                   f"#{report.head_seq}: events were deleted from its end, or the head was changed")
    return report


def audit_verify(*, firm: Firm) -> list[str]:
    """Problems found in the firm's chain, first broken link first (empty when intact)."""
    return audit_check(firm=firm).problems
