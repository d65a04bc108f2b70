"""The transaction of a service: durable at the top, joined by the services an enclosing service calls.

Rule (DESIGN, "Write paths"): a top-level service is its own transaction, and no face wraps it in one of
its own. `service_transaction()` therefore opens `transaction.atomic(durable=True)`: if anything else
already holds a transaction on the connection (API middleware, `ATOMIC_REQUESTS`, a view's `atomic()`),
Django raises RuntimeError at once, so an accidental nesting fails in the tests instead of silently turning
the service's commit into a savepoint that a later error can roll back after the mail went out.

Some services are composed of others on purpose: an import applies each row through `client_create`, an
idempotent request stores its key in the same transaction as the effect. The enclosing service opens the
durable transaction with `service_transaction()`; every service called inside it *joins* it (a savepoint,
so a refused row can roll back alone). Joining is allowed only inside a service transaction, never inside
a bare `atomic()`: the context variable below says which.

pytest-django's `db` fixture (Django's TestCase) runs each test in a transaction of its own that Django
marks as the test's, and durable blocks are allowed directly inside it; nesting inside anything else fails
there as it does in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

# True while a service transaction is open in this thread/task (ContextVar: one value per thread).
_in_service: ContextVar[bool] = ContextVar("lexbill_in_service_transaction", default=False)


@contextmanager
def service_transaction() -> Iterator[None]:
    """Open the service's durable transaction, or join the one an enclosing service opened."""
    if _in_service.get() and transaction.get_connection().in_atomic_block:
        with transaction.atomic():  # a savepoint in the enclosing service's transaction
            yield
        return
    token = _in_service.set(True)
    try:
        with transaction.atomic(durable=True):
            yield
    finally:
        _in_service.reset(token)


def in_service_transaction() -> bool:
    return _in_service.get() and transaction.get_connection().in_atomic_block


def require_transaction(what: str) -> None:
    """For helpers that write as part of a service's transaction and must never run on their own."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the transaction of the service that calls it")


def after_commit(callback: Callable[[], Any]) -> None:
    """Run a side effect (mail, task enqueue, file) once the current transaction commits; never if it rolls
    back. Outside a transaction (autocommit) it runs at once, as Django's on_commit does."""
    transaction.on_commit(callback)
