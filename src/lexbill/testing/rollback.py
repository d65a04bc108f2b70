"""Try a write in a test and roll it back, with durable service transactions allowed inside.

Services open `atomic(durable=True)` (core/transactions.py), which Django refuses inside any atomic block but
the test's own. A test that tries many writes one after another on the same data (the access matrix) rolls
each back in a block marked like the test's own, so the services inside behave exactly as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back() -> Iterator[None]:
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]  # durable blocks may open inside, as in a TestCase
    with block:
        yield
        transaction.set_rollback(True)
