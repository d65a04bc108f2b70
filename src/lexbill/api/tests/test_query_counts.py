"""Every list endpoint reads a page in a constant number of queries, however many rows it shows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.rates.services import rate_create
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import expense_create, time_entry_create

pytestmark = pytest.mark.django_db

# Token lookup, membership check, last-used stamp (at most once a minute), role, count, page.
MAX_QUERIES = 10


def _seed(firm, start, stop):  # type: ignore[no-untyped-def]
    """Records numbered start..stop-1, each with its own related rows so a lazy lookup per row would show."""
    for i in range(start, stop):
        timekeeper = factories.make_timekeeper(firm, initials=f"K{i}", classification="AS")
        responsible = factories.make_timekeeper(firm, initials=f"R{i}", classification="PT")
        client = factories.make_client(firm, code=f"CL{i}")
        matter = factories.make_matter(firm, client=client, billing_attorney=timekeeper, number=f"M-{i}",
                                       responsible_attorney=responsible, originating_attorney=responsible)
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=date(2026, 2, 2),
                          duration=Duration(hours=Decimal("0.5")), narrative="Work")
        expense_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, incurred_on=date(2026, 2, 2),
                       description="Courier", unit_cost_minor=1000)
        rate_create(firm=firm, actor=None, timekeeper=timekeeper, matter=matter, effective_on=date(2026, 1, 1),
                    rate_minor=30000, currency="USD")


def _queries(api, path):  # type: ignore[no-untyped-def]
    api.get(path, limit=1)  # the token's first use stamps last_used_at; the measured request does not
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, limit=100)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("path,per_seed", [("/clients/", 1), ("/matters/", 1), ("/timekeepers/", 2),
                                           ("/time-entries/", 1), ("/expenses/", 1), ("/rates/", 1)])
def test_list_query_count_does_not_grow_with_rows(api, firm, path, per_seed, django_assert_max_num_queries):
    _seed(firm, 0, 1)
    one_row, count = _queries(api, path)
    assert count == per_seed

    _seed(firm, 1, 30)

    with django_assert_max_num_queries(MAX_QUERIES):
        thirty_rows, count = _queries(api, path)
    assert count == 30 * per_seed
    assert thirty_rows == one_row
