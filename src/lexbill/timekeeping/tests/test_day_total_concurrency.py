"""Two requests recording time for one timekeeper on one day at the same moment (PostgreSQL): the
timekeeper's row lock makes the second sum the day after the first committed, so they cannot both pass."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from lexbill.core.errors import ValidationFailed
from lexbill.core.tenancy import firm_scope
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import TimeEntry
from lexbill.timekeeping.services import time_entry_create

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"),
]

DAY = date(2026, 3, 2)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_13_hour_entries_make_one_entry_and_one_refusal(firm, matter, associate):
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def work(i: int) -> None:
        try:
            with firm_scope(firm):
                barrier.wait(timeout=10)
                results[i] = time_entry_create(
                    firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=DAY,
                    duration=Duration(hours=Decimal(13)), narrative=f"Trial day {i}", today=date(2026, 3, 31)).pk
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    refusals = [r for r in results if isinstance(r, ValidationFailed)]
    created = [r for r in results if isinstance(r, int)]
    assert len(created) == 1
    assert [r.message for r in refusals] == [
        "JD would have 26 h on 2026-03-02 (13 h already recorded): more than 24 h in one day"]
    assert list(TimeEntry.objects.values_list("hours_worked", flat=True)) == [Decimal(13)]
