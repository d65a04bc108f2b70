"""The review page's approval refuses open queries unless the approver ticks "Approve despite N open queries"
and gives a reason; lines with an open query carry a badge; uncoded lines of a refusing client are refused
(issue #9 items 4 and 6)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.testing.settings_rows import set_client_settings

from .review_support import acme_prebill, figures, lines_of, login


@pytest.fixture
def queried(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    prebill = acme_prebill(firm, matter, partner, associate, status="in_review")
    jd = lines_of(prebill)[0]
    prebill_query_add(prebill=prebill, line=jd, question="Why 2.0 h for the motion?", actor=None)
    return prebill, jd


@pytest.fixture
def attorney(firm, partner):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "attorney", timekeeper=partner)
    return http


def test_the_line_shows_its_open_query_and_approval_offers_the_override(attorney, queried):  # type: ignore[no-untyped-def]
    prebill, jd = queried
    html = attorney.get(f"/prebills/{prebill.pk}/").content.decode()
    row = html[html.index(f'id="line-{jd.pk}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="badge query-open" title="Unanswered query to the lawyer">? Query open: Why 2.0 h for the ' \
           "motion?</span>" in row
    assert "Approve despite 1 open query</label>" in html
    # the row names its line as the refusals and the history do
    assert f'<div class="muted line-no">line {jd.pk}</div>' in row


def test_approve_with_an_open_query_is_refused_and_changes_nothing(attorney, queried):  # type: ignore[no-untyped-def]
    prebill, jd = queried
    before = figures(prebill)
    response = attorney.post(f"/prebills/{prebill.pk}/approve/")
    assert response.status_code == 422
    assert (f"Nothing changed: pre-bill {prebill.pk} has 1 open query (line {jd.pk}: “Why 2.0 h for the motion?”)"
            in response.content.decode())
    assert figures(prebill) == before


def test_ticking_the_override_without_a_reason_is_refused(attorney, queried):  # type: ignore[no-untyped-def]
    prebill, _jd = queried
    before = figures(prebill)
    response = attorney.post(f"/prebills/{prebill.pk}/approve/", {"override_open_queries": "on",
                                                                   "override_reason": "  "})
    assert response.status_code == 422
    assert "Say why you approve despite the open queries." in response.content.decode()
    assert figures(prebill) == before


def test_a_reason_without_the_box_ticked_is_no_override(attorney, queried):  # type: ignore[no-untyped-def]
    prebill, _jd = queried
    response = attorney.post(f"/prebills/{prebill.pk}/approve/", {"override_reason": "Agreed"})
    assert response.status_code == 422
    assert PreBill.objects.get(pk=prebill.pk).status == "in_review"


def test_the_override_approves_and_the_reason_is_shown(attorney, queried):  # type: ignore[no-untyped-def]
    prebill, _jd = queried
    response = attorney.post(f"/prebills/{prebill.pk}/approve/", {
        "override_open_queries": "on", "override_reason": "Client agreed the hours"}, follow=True)
    fresh = PreBill.objects.get(pk=prebill.pk)
    assert (fresh.status, fresh.open_queries_override_reason) == ("approved", "Client agreed the hours")
    assert '<dd id="prebill-override">Client agreed the hours</dd>' in response.content.decode()


def test_uncoded_lines_are_refused_for_a_refusing_client_and_warned_otherwise(  # type: ignore[no-untyped-def]
        attorney, firm, client_acme, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="in_review")
    client_acme.utbms_code_sets = ["litigation"]
    client_acme.save()
    jd = lines_of(prebill)[0]
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="")
    html = attorney.get(f"/prebills/{prebill.pk}/").content.decode()
    assert "Client ACME refuses approval until these lines are coded." in html
    before = figures(prebill)
    response = attorney.post(f"/prebills/{prebill.pk}/approve/")
    assert response.status_code == 422
    assert f"(line {jd.pk}: missing task code (required: litigation))" in response.content.decode()
    assert figures(prebill) == before

    set_client_settings(client_acme, missing_codes="warn")
    assert "is set to warn only" in attorney.get(f"/prebills/{prebill.pk}/").content.decode()
    assert attorney.post(f"/prebills/{prebill.pk}/approve/").status_code == 302
    assert PreBill.objects.get(pk=prebill.pk).status == "approved"


def test_the_approval_queue_counts_open_queries(attorney, queried, firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    prebill, _jd = queried
    clean = acme_prebill(firm, matter, partner, associate, status="in_review")
    html = attorney.get("/approvals/").content.decode()
    row = html[html.index(f'id="approval-{prebill.pk}"'):]
    assert '<td class="open-queries"><span class="badge query-open">? 1 open</span></td>' in row[:row.index("</tr>")]
    row = html[html.index(f'id="approval-{clean.pk}"'):]
    assert '<td class="open-queries"></td>' in row[:row.index("</tr>")]
