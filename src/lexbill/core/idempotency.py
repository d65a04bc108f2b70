"""Idempotency keys (invariant 8): a retried request with the same key has exactly one effect.

`idempotent_call` is the one engine; `api/idempotency.py` (the `Idempotency-Key` header on ninja routes)
and `cli/idempotency.py` (`--idempotency-key` on commands) adapt it to their face, and payments and trust
reuse them. How it keeps its promise:

- **Same transaction.** The key is claimed (a row inserted), the request's services run, and the answer
  is written on the row, all in one `service_transaction()`: the services join it. A key is therefore
  never committed without its effect, nor an effect without its key; a request that fails or is refused
  rolls the claim back with everything else, so a retry is judged afresh (nothing was written).
- **Concurrent duplicates wait.** The claim is an INSERT under the unique (firm, key) constraint. On
  PostgreSQL a second insert of the same key waits for the first transaction: when it commits, the second
  gets the unique violation and reads the stored answer; when it rolls back, the second goes ahead. On
  SQLite every write transaction is serialized (`BEGIN IMMEDIATE`), so the second simply comes after.
- **Same key, other request: refused.** The request's fingerprint (method, route, canonical body, acting
  user) is stored with the key; a different one is a 422 (CLI: exit 1) and nothing is written.
- **Retention.** Keys are kept `RETENTION` (24 h); an expired key may be used again as a new one, and
  `lexbill idempotency purge` deletes the expired rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .errors import ValidationFailed
from .models import Firm, IdempotencyKey
from .transactions import service_transaction

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255
HEADER = "Idempotency-Key"


class IdempotencyKeyReused(ValidationFailed):
    """The key was already used for a different request (422 / exit 1); nothing was written."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any
    replayed: bool


def check_key(key: str, *, field: str = HEADER) -> str:
    """A key is 1 to 255 printable ASCII characters (a UUID is the usual choice)."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= ch <= "~" for ch in key):
        raise ValidationFailed(f"an idempotency key is 1 to {MAX_KEY_LENGTH} printable ASCII characters",
                               field=field)
    return key


def canonical_body(body: bytes) -> bytes:
    """JSON bodies are compared by content (key order and spacing do not matter); anything else by bytes."""
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        return body


def fingerprint(*, method: str, route: str, body: bytes, actor: str) -> str:
    """What makes two requests "the same": method, route (path with its ids and query), body, acting user."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), route.encode(), canonical_body(body), actor.encode()):
        digest.update(len(part).to_bytes(8, "big") + part)  # length-prefixed: no two splits hash alike
    return digest.hexdigest()


def _claim(*, firm: Firm, key: str, request_hash: str, route: str, now: datetime) -> IdempotencyKey | None:
    """Insert the key for this request, or return the stored row of an earlier request with it."""
    for _ in range(3):  # the row can vanish between our failed insert and our read (a purge): insert again
        try:
            with transaction.atomic():  # a savepoint: losing the race to insert is not an error
                IdempotencyKey.objects.create(firm=firm, key=key, request_hash=request_hash, route=route[:300],
                                              created_at=now, expires_at=now + RETENTION)
            return None
        except IntegrityError:
            pass
        # The first request has committed by now (PostgreSQL made this insert wait for it).
        stored = IdempotencyKey.objects.select_for_update().filter(firm=firm, key=key).first()
        if stored is None:
            continue
        if stored.expires_at > now:
            return stored
        # Expired: the key starts afresh for this request.
        IdempotencyKey.objects.filter(pk=stored.pk).update(request_hash=request_hash, route=route[:300],
                                                           status_code=None, response_body=None, created_at=now,
                                                           expires_at=now + RETENTION)
        return None
    raise RuntimeError(f"idempotency key {key!r} could be neither claimed nor read")


def idempotent_call(*, firm: Firm, key: str, request_hash: str, route: str,
                    perform: Callable[[], tuple[int, Any]], now: datetime | None = None) -> Outcome:
    """Run `perform` (which answers a status and a JSON-ready body) once per (firm, key).

    A retry with the same request answers the stored status and body (`replayed`); the same key with a
    different request raises IdempotencyKeyReused. `perform`'s services join this transaction.
    """
    key = check_key(key)
    now = now or timezone.now()
    with service_transaction():
        stored = _claim(firm=firm, key=key, request_hash=request_hash, route=route, now=now)
        if stored is not None:
            if stored.request_hash != request_hash:
                raise IdempotencyKeyReused(
                    f"idempotency key {key!r} was already used for a different request ({stored.route}); "
                    "use a new key for a new request", field=HEADER)
            return Outcome(stored.status_code or 0, stored.response_body, replayed=True)
        status, body = perform()
        IdempotencyKey.objects.filter(firm=firm, key=key).update(status_code=status, response_body=body)
    return Outcome(status, body, replayed=False)


def idempotency_purge(*, now: datetime | None = None) -> int:
    """Delete every firm's expired keys; the number deleted."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
