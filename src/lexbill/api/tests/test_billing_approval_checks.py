"""/prebills/{id}/approve refuses open queries unless overridden with a reason, and uncoded lines for a client
that refuses them; the detail marks each line's open query and code problems (issue #9 items 4 and 6)."""

import pytest

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_client_settings

from .billing_api_helpers import acme_prebill

pytestmark = pytest.mark.django_db


def _state(prebill):  # type: ignore[no-untyped-def]
    prebill.refresh_from_db()
    return (prebill.status, prebill.approved_by_id, prebill.open_queries_override_reason, AuditEvent.objects.count())


@pytest.fixture
def queried(firm, matter, partner, associate, admin_user):  # type: ignore[no-untyped-def]
    prebill = acme_prebill(firm, matter, partner, associate)
    line = PreBillLine.objects.filter(prebill=prebill).order_by("position").first()
    prebill_query_add(prebill=prebill, line=line, question="Was this call billable?", actor=admin_user)
    return prebill, line


def test_the_detail_marks_the_line_with_the_open_query(api, queried):  # type: ignore[no-untyped-def]
    prebill, line = queried
    body = api.get(f"/prebills/{prebill.pk}").json()
    assert [(x["id"], x["open_query"]) for x in body["lines"]][:2] == [
        (line.pk, "Was this call billable?"), (line.pk + 1, None)]


def test_approve_with_open_queries_is_409_and_changes_nothing(api, queried):  # type: ignore[no-untyped-def]
    prebill, line = queried
    before = _state(prebill)
    response = api.post(f"/prebills/{prebill.pk}/approve", {})
    assert (response.status_code, response.json()) == (409, {
        "code": "open_queries", "field": "override_open_queries_reason",
        "detail": f"pre-bill {prebill.pk} has 1 open query (line {line.pk}: “Was this call billable?”): have them "
                  "answered, or approve despite them with a reason"})
    assert _state(prebill) == before


def test_approve_with_an_override_reason_records_it(api, queried):  # type: ignore[no-untyped-def]
    prebill, _line = queried
    response = api.post(f"/prebills/{prebill.pk}/approve",
                        {"override_open_queries_reason": "Partner confirmed by phone"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["open_queries_override_reason"]) == (
        "approved", "Partner confirmed by phone")
    assert PreBill.objects.get(pk=prebill.pk).open_queries_override_reason == "Partner confirmed by phone"


def test_uncoded_lines_are_listed_and_refused_for_a_refusing_client(  # type: ignore[no-untyped-def]
        api, firm, client_acme, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    client_acme.utbms_code_sets = ["litigation"]
    client_acme.save()
    first = PreBillLine.objects.filter(prebill=prebill).order_by("position").first()
    PreBillLine.objects.filter(pk=first.pk).update(task_code="")

    body = api.get(f"/prebills/{prebill.pk}").json()
    assert (body["lines_missing_codes"], body["missing_codes"], body["lines"][0]["code_problems"]) == (
        [first.pk], "refuse", ["missing task code (required: litigation)"])
    before = _state(prebill)
    refused = api.post(f"/prebills/{prebill.pk}/approve", {"override_open_queries_reason": "anyway"})
    assert (refused.status_code, refused.json()["code"]) == (409, "missing_codes")
    assert f"line {first.pk}: missing task code" in refused.json()["detail"]
    assert _state(prebill) == before

    set_client_settings(client_acme, missing_codes="warn")
    assert api.post(f"/prebills/{prebill.pk}/approve", {}).json()["status"] == "approved"


def test_the_history_says_what_happened(api, queried):  # type: ignore[no-untyped-def]
    prebill, line = queried
    api.post(f"/prebills/{prebill.pk}/approve", {"override_open_queries_reason": "Partner confirmed by phone"})
    response = api.get(f"/prebills/{prebill.pk}/history")
    assert response.status_code == 200
    assert [(e["who"], e["action"], e["description"]) for e in response.json()] == [
        ("admin@arnsley.example", "prebill.query_add", f"Asked a query on line {line.pk}: “Was this call billable?”"),
        ("admin@arnsley.example", "prebill.approve", "Approved despite 1 open query: “Partner confirmed by phone”"),
    ]
    assert api.get(f"/prebills/{prebill.pk + 1000}/history").status_code == 404
