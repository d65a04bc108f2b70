"""The progress fragment the run's page polls: one state per BillRun status; polling stops when finished."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.billing.models import BillRun, BillRunStatus
from lexbill.testing.billing import make_prebill

from .records_support import count_queries, login_as

POLL = 'hx-trigger="every 1s"'
SKIP = {"matter": "ACME-002", "reason": "no_rate", "detail": "no rate for JD on ACME-002"}


@pytest.fixture
def viewer(client, firm):
    login_as(client, firm, "billing")
    return client


def run_in(firm, status, **counts):
    return BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status=status, **counts)


def fragment(http, run):
    response = http.get(reverse("billrun_progress", args=[run.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_pending_polls_and_says_it_waits_for_a_worker(viewer, firm):
    run = run_in(firm, BillRunStatus.PENDING)

    html = fragment(viewer, run)

    assert POLL in html and f'hx-get="{reverse("billrun_progress", args=[run.pk])}"' in html
    assert "Waiting to start" in html and "waiting for a worker" in html
    assert "0 of 0 matters done" in html and 'max="1" value="0"' in html


def test_running_shows_the_counts_so_far_and_keeps_polling(viewer, firm, matter, partner):
    run = run_in(firm, BillRunStatus.RUNNING, total_matters=10, done_matters=3, prebills_created=1,
                 skipped=[SKIP])
    make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft motion")], bill_run=run)

    html = fragment(viewer, run)

    assert POLL in html and "Running" in html
    assert 'max="10" value="3"' in html and "3 of 10 matters done" in html
    assert "1 pre-bill created" in html and "1 skipped" in html
    assert "ACME-001" in html and "750.00 USD" in html  # the pre-bill made so far: RA 1.5 h x 500.00
    assert "no_rate" in html and "no rate for JD on ACME-002" in html


def test_done_stops_polling(viewer, firm):
    run = run_in(firm, BillRunStatus.DONE, total_matters=4, done_matters=4, prebills_created=3, skipped=[SKIP])

    html = fragment(viewer, run)

    assert POLL not in html and "hx-get" not in html
    assert "Done" in html and "4 of 4 matters done" in html and "3 pre-bills created" in html
    assert 'max="4" value="4"' in html


def test_a_done_run_with_no_matters_shows_a_full_bar(viewer, firm):
    html = fragment(viewer, run_in(firm, BillRunStatus.DONE))

    assert 'max="1" value="1"' in html and "0 of 0 matters done" in html and POLL not in html


def test_failed_shows_the_error_and_stops_polling(viewer, firm):
    run = run_in(firm, BillRunStatus.FAILED, total_matters=5, done_matters=2, prebills_created=2,
                 error="database is locked")

    html = fragment(viewer, run)

    assert POLL not in html and "Failed" in html and "The run failed: database is locked" in html
    assert "2 of 5 matters done" in html


def test_the_runs_page_embeds_the_polling_fragment(viewer, firm):
    run = run_in(firm, BillRunStatus.RUNNING, total_matters=2, done_matters=1)

    html = viewer.get(reverse("billrun_detail", args=[run.pk])).content.decode()

    assert 'id="billrun-progress"' in html and POLL in html and "1 of 2 matters done" in html


def test_the_list_shows_every_run_newest_first(viewer, firm):
    older = run_in(firm, BillRunStatus.DONE, total_matters=4, done_matters=4, prebills_created=3, skipped=[SKIP])
    newer = run_in(firm, BillRunStatus.RUNNING, total_matters=9, done_matters=2,
                   selection={"client": {"id": 1, "code": "ACME"}})

    response = viewer.get(reverse("billrun_list"))

    assert [run.pk for run in response.context["page"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "2 / 9" in html and "4 / 4" in html and "client ACME" in html and "every matter" in html


def test_the_list_query_count_does_not_grow_with_the_number_of_runs(viewer, firm):
    run_in(firm, BillRunStatus.DONE)
    few, _ = count_queries(viewer, reverse("billrun_list"))
    for _ in range(6):
        run_in(firm, BillRunStatus.DONE, total_matters=2, done_matters=2, skipped=[SKIP])

    many, response = count_queries(viewer, reverse("billrun_list"))

    assert len(response.context["page"]) == 7 and many == few
