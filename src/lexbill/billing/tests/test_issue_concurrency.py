"""Invariant 4 under concurrency (PostgreSQL): simultaneous issues get consecutive numbers or a Conflict."""

import threading
from datetime import date

import pytest
from django.db import connection

from lexbill.billing.models import Invoice, NumberSeries
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import Conflict
from lexbill.core.tenancy import firm_scope
from lexbill.testing.billing import make_prebill

from .billing_helpers import MARCH_2

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"),
]


def _race(firm, prebills):
    """Issue each pre-bill in its own thread (its own connection), all released at the same moment."""
    barrier = threading.Barrier(len(prebills))
    results: list[object] = [None] * len(prebills)

    def work(i, prebill):
        try:
            with firm_scope(firm):
                barrier.wait(timeout=10)
                results[i] = invoice_issue(prebill=prebill, actor=None, issued_on=date(2026, 4, 2)).number
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, pb)) for i, pb in enumerate(prebills)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_get_consecutive_numbers(firm, matter, partner):
    prebills = [make_prebill(firm, matter, work=[(partner, MARCH_2, "1", f"Call {i}")], status="approved")
                for i in range(4)]
    results = _race(firm, prebills)
    assert sorted(results) == ["2026-00001", "2026-00002", "2026-00003", "2026-00004"]  # type: ignore[type-var]
    assert NumberSeries.objects.get().next_seq == 5


@pytest.mark.django_db(transaction=True)
def test_two_clerks_issuing_the_same_pre_bill_get_one_invoice_and_one_conflict(firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")], status="approved")
    results = _race(firm, [prebill, prebill])
    numbers = [r for r in results if isinstance(r, str)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert numbers == ["2026-00001"]
    assert [str(c) for c in conflicts] == [f"pre-bill {prebill.pk} is already issued"]
    assert list(Invoice.objects.values_list("number", flat=True)) == ["2026-00001"]
    assert NumberSeries.objects.get().next_seq == 2
