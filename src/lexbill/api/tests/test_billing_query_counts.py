"""The billing lists and the pre-bill detail read in a constant number of queries, however many rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.billing.models import BillRun
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

pytestmark = pytest.mark.django_db

# Token lookup, membership check, last-used stamp (at most once a minute), role, count, page.
MAX_QUERIES = 10


def _seed(firm, admin, start, stop):  # type: ignore[no-untyped-def]
    """Per row its own client, matter, timekeeper and approver, so a lazy lookup per row would show."""
    for i in range(start, stop):
        tk = factories.make_timekeeper(firm, initials=f"K{i}", classification="AS")
        client = factories.make_client(firm, code=f"CL{i}")
        matter = factories.make_matter(firm, client=client, billing_attorney=tk, number=f"M-{i}")
        BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), skipped=[
            {"matter": f"M-{i}", "reason": "nothing_to_bill", "detail": "x"}])
        work = [(tk, date(2026, 3, 2), "1.0", "Work"), (tk, date(2026, 3, 3), "0.5", "More")]
        review = make_prebill(firm, matter, work=work, expenses=[(date(2026, 3, 2), "Courier", 1000, "1")])
        prebill_query_add(prebill=review, question="Why?", actor=admin, line=review.lines.first())
        issued = make_prebill(firm, matter, work=[(tk, date(2026, 3, 4), "1.0", "Billed")], status="approved",
                              approved_by=admin)
        invoice_issue(prebill=issued, actor=admin, issued_on=date(2026, 4, 2))


def _queries(api, path):  # type: ignore[no-untyped-def]
    api.get(path, limit=1)  # the token's first use stamps last_used_at; the measured request does not
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, limit=100)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("path,per_seed", [("/bill-runs/", 1), ("/prebills/", 2), ("/invoices/", 1)])
def test_list_query_count_does_not_grow_with_rows(api, firm, admin_user, path, per_seed,
                                                  django_assert_max_num_queries):
    _seed(firm, admin_user, 0, 1)
    one_row, count = _queries(api, path)
    assert count == per_seed

    _seed(firm, admin_user, 1, 20)

    with django_assert_max_num_queries(MAX_QUERIES):
        twenty, count = _queries(api, path)
    assert count == 20 * per_seed
    assert twenty == one_row


def test_pre_bill_and_invoice_detail_query_counts_do_not_grow_with_lines(api, firm, admin_user):
    tk = factories.make_timekeeper(firm, initials="KK", classification="AS")
    matter = factories.make_matter(firm, billing_attorney=tk, number="M-1")
    small = make_prebill(firm, matter, work=[(tk, date(2026, 3, 2), "1.0", "Work")])
    big = make_prebill(firm, matter, work=[(tk, date(2026, 3, d), "1.0", "Work") for d in range(3, 28)],
                       expenses=[(date(2026, 3, 2), "Courier", 1000, "1")] * 5)
    small_inv = invoice_issue(prebill=make_prebill(firm, matter, work=[(tk, date(2026, 3, 2), "1.0", "W")],
                                                   status="approved"), actor=None, issued_on=date(2026, 4, 2))
    big_inv = invoice_issue(prebill=make_prebill(firm, matter, status="approved",
                                                 work=[(tk, date(2026, 3, d), "1.0", "W") for d in range(3, 28)]),
                            actor=None, issued_on=date(2026, 4, 2))

    api.get(f"/prebills/{small.pk}")  # the token's first use stamps last_used_at; later requests within a minute do not
    for one, many in [(f"/prebills/{small.pk}", f"/prebills/{big.pk}"),
                      (f"/invoices/{small_inv.pk}", f"/invoices/{big_inv.pk}")]:
        with CaptureQueriesContext(connection) as few:
            assert api.get(one).status_code == 200
        with CaptureQueriesContext(connection) as lots:
            assert api.get(many).status_code == 200
        assert len(lots.captured_queries) == len(few.captured_queries), many
