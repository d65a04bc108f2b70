"""Split billing under concurrency (PostgreSQL): two payors' invoices credited in full at the same moment put
the work back into WIP exactly once (before, each credit saw the other not yet credited and the work stayed
billed for ever)."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.issue import invoices_issue
from lexbill.clients.services_payors import PayorShare, matter_payors_set
from lexbill.core.models import AuditEvent
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.timekeeping.models import EntryStatus, Expense, TimeEntry

from .billing_helpers import ISSUED_ON, approved_prebill

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SKIPPED ON SQLITE: the race needs PostgreSQL row locks (SQLite locks the whole file)"),
]

# Each credit note in a different year, so each takes its own number series: nothing but the invoice locks
# orders the two credits (one shared series row would serialize them by accident).
CREDITED_ON = [date(2026, 12, 31), date(2027, 1, 4)]


def _waiting_on_locks() -> int:
    """How many other sessions of this test database are waiting for a lock, now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is otherwise cached for the transaction
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def _race(firm, invoices):
    """Credit each invoice in full in its own thread (its own connection), all released at the same moment.

    The audit table is held locked meanwhile, so no credit can commit until both are in flight and waiting
    (at their audit event, or for the other's invoice lock): the worst interleaving, every time."""
    barrier = threading.Barrier(len(invoices))
    results: list[object] = [None] * len(invoices)

    def work(i, invoice):
        try:
            with firm_scope(firm):
                barrier.wait(timeout=10)
                results[i] = credit_note_issue(invoice=invoice, actor=None, reason="Wrong payor",
                                               issued_on=CREDITED_ON[i], full=True).number
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, inv)) for i, inv in enumerate(invoices)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN EXCLUSIVE MODE")
        for t in threads:
            t.start()
        while _waiting_on_locks() < len(threads) and all(t.is_alive() for t in threads):
            pass
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", [0, 1])
def test_simultaneous_full_credits_of_a_split_bill_put_the_work_back_once(firm, matter, client_acme, partner,
                                                                          associate, first):
    insurer = factories.make_client(firm, code="INSCO", name="Insurance Co.")
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 4000), PayorShare(insurer, 6000)])
    big, small = invoices_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                                issued_on=ISSUED_ON)
    invoices = [big, small] if first == 0 else [small, big]  # the lower pk first, and last

    results = _race(firm, invoices)

    assert sorted(results) == ["CN2026-00001", "CN2027-00001"]  # type: ignore[type-var]
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 2
    # Two entries and one expense, released by exactly one of the two credits.
    released = sorted(e.after["released_to_wip"] for e in AuditEvent.objects.filter(action="credit_note.issue"))
    assert released == [0, 3]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.OPEN}
    assert set(Expense.objects.values_list("status", flat=True)) == {EntryStatus.OPEN}
    assert set(TimeEntry.objects.values_list("amount_minor", flat=True)) == {None}
