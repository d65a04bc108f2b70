"""Two reviewers editing one pre-bill at once queue on its row lock: no lost update, no deadlock."""

import threading

import pytest
from django.db import connection

from lexbill.billing.selectors_prebill import prebill_totals
from lexbill.billing.services.review import prebill_line_write_amount, prebill_write_amount
from lexbill.billing.services.review_moves import prebill_line_hold
from lexbill.core.audit import audit_verify
from lexbill.core.tenancy import firm_scope

from .review_helpers import events, figures, lines_of, march_prebill

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"),
]


def _together(firm, *jobs):
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            with firm_scope(firm):
                barrier.wait()
                job()
        except BaseException as exc:  # handed back to the test, which asserts there were none
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_a_line_write_a_bill_write_and_a_hold_at_once_all_apply_in_some_order(firm, matter, partner, associate,
                                                                            admin_user):
    prebill = march_prebill(firm, matter, partner, associate)
    fee, _, copies = lines_of(prebill)
    errors = _together(
        firm,
        lambda: prebill_line_write_amount(line=fee, adjustment_minor=-5000, actor=admin_user),
        lambda: prebill_write_amount(prebill=prebill, adjustment_minor=-900, actor=admin_user),
        lambda: prebill_line_hold(line=copies, actor=admin_user),
    )
    assert errors == []
    assert len(events(prebill)) == 3
    assert audit_verify(firm=firm) == []
    totals = prebill_totals(prebill)
    # Whatever the order, the hold took the copies off and the total is base + adjustments of what remains.
    assert totals.subtotal_minor == 84000 + sum(f[2] for f in figures(prebill)[:2])
    assert figures(prebill)[2][3] in (45, 44)  # the copies line kept what it had when it left
