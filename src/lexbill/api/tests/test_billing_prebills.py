"""/prebills: list and detail with exact figures; review edits move the totals; refusals change nothing."""

import pytest

from lexbill.billing.models import PreBill, PreBillLine, PreBillQuery
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.tests.billing_helpers import ISSUED_ON, approved_prebill
from lexbill.core.models import AuditEvent
from lexbill.testing import factories
from lexbill.timekeeping.models import TimeEntry

from .billing_api_helpers import acme_prebill

pytestmark = pytest.mark.django_db


def _lines(prebill):  # type: ignore[no-untyped-def]
    return list(PreBillLine.objects.filter(prebill=prebill).order_by("position"))


def _figures(prebill):  # type: ignore[no-untyped-def]
    """Everything a refused edit must leave alone."""
    prebill.refresh_from_db()
    return (prebill.status, [(x.hours_billed, x.base_minor, x.adjustment_minor, x.total_minor, x.is_current,
                              x.is_held, x.is_no_charge, x.narrative) for x in _lines(prebill)],
            AuditEvent.objects.count(), PreBillQuery.objects.count())


def test_list_shows_each_pre_bill_with_its_total(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)

    response = api.get("/prebills/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {k: item[k] for k in ("id", "status", "client", "matter", "matter_id", "currency", "period_end",
                                 "line_count", "total", "approved_by", "bill_run_id")} == {
        "id": prebill.pk, "status": "draft", "client": "ACME", "matter": "ACME-001", "matter_id": matter.pk,
        "currency": "USD", "period_end": "2026-03-31", "line_count": 3, "total": "700.00", "approved_by": None,
        "bill_run_id": None}


@pytest.mark.parametrize("query,count", [
    ({"status": "draft"}, 1), ({"status": "approved"}, 0), ({"client": "ACME"}, 1), ({"client": "NOPE"}, 0),
    ({"matter": "ACME-001"}, 1), ({"matter": "NOPE"}, 0), ({"limit": 1, "offset": 1}, 1)])
def test_list_filters(api, firm, matter, partner, associate, query, count):
    acme_prebill(firm, matter, partner, associate)
    globex = factories.make_client(firm, code="GLX", name="Globex")
    other = factories.make_matter(firm, client=globex, billing_attorney=partner, number="GLX-001")
    acme_prebill(firm, other, partner, associate, status="in_review")

    response = api.get("/prebills/", **query)

    assert response.status_code == 200
    assert len(response.json()["items"]) == count
    if "limit" not in query:
        assert response.json()["count"] == count


def test_unknown_status_is_422(api, firm):
    assert api.get("/prebills/", status="nope").status_code == 422


def test_detail_has_every_line_the_totals_and_open_queries(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    first, second, courier = _lines(prebill)

    body = api.get(f"/prebills/{prebill.pk}").json()

    assert [(x["id"], x["kind"], x["on_date"], x["timekeeper"], x["hours_worked"], x["hours_billed"], x["rate"],
             x["quantity"], x["unit_cost"], x["base"], x["adjustment"], x["total"], x["narrative"])
            for x in body["lines"]] == [
        (first.pk, "fee", "2026-03-02", "JD", "1.5", "1.5", "300.00", None, None, "450.00", "0.00", "450.00",
         "Research"),
        (second.pk, "fee", "2026-03-03", "RA", "0.4", "0.4", "500.00", None, None, "200.00", "0.00", "200.00",
         "Review draft"),
        (courier.pk, "expense", "2026-03-02", None, None, None, None, "2", "25.00", "50.00", "0.00", "50.00",
         "Courier"),
    ]
    assert body["totals"] == {"fees": "650.00", "expenses": "50.00", "adjustments": "0.00", "subtotal": "700.00"}
    assert (body["total"], body["line_count"], body["open_queries"]) == ("700.00", 3, [])


def test_missing_pre_bill_is_404(api, firm):
    assert api.get("/prebills/999").json()["code"] == "not_found"


@pytest.mark.parametrize("body,line_total,totals", [
    ({"amount": "-50.00"}, "400.00", ("-50.00", "650.00")),
    ({"amount": "25"}, "475.00", ("25.00", "725.00")),
    ({"percent": "10"}, "405.00", ("-45.00", "655.00")),
    ({"percent": "-5"}, "472.50", ("22.50", "722.50")),
    ({"hours": "1.0"}, "300.00", ("0.00", "550.00")),
])
def test_write_a_line_down_or_up(api, firm, matter, partner, associate, admin_user, body, line_total, totals):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]

    response = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/write", body)

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["lines"][0]["total"] == line_total
    assert (data["totals"]["adjustments"], data["totals"]["subtotal"]) == totals
    assert data["total"] == totals[1]
    event = AuditEvent.objects.filter(entity="prebill", entity_id=str(prebill.pk)).latest("pk")
    assert (event.actor, event.before["line"]) == (admin_user, line.pk)


@pytest.mark.parametrize("body,field", [
    ({}, "hours"), ({"hours": "1.0", "amount": "-1"}, "amount"), ({"amount": "-450.01"}, "adjustment"),
    ({"amount": "-1.005"}, "amount"), ({"percent": "101"}, "percent"), ({"hours": "25"}, "hours_billed"),
])
def test_a_refused_line_write_is_422_and_changes_nothing(api, firm, matter, partner, associate, body, field):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]
    before = _figures(prebill)

    response = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/write", body)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert _figures(prebill) == before


def test_a_line_of_another_pre_bill_is_404(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    other = acme_prebill(firm, matter, partner, associate)
    line = _lines(other)[0]
    before = _figures(other)

    response = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/write", {"amount": "-1"})

    assert response.status_code == 404
    assert _figures(other) == before


def test_write_the_whole_bill_down_by_percent_is_spread_exactly(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)

    data = api.post(f"/prebills/{prebill.pk}/write", {"percent": "10"}).json()

    assert [x["adjustment"] for x in data["lines"]] == ["-45.00", "-20.00", "-5.00"]
    assert data["totals"] == {"fees": "650.00", "expenses": "50.00", "adjustments": "-70.00",
                              "subtotal": "630.00"}


def test_write_the_whole_bill_by_amount_by_largest_remainder(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)

    data = api.post(f"/prebills/{prebill.pk}/write", {"amount": "-0.10"}).json()

    # 10 cents over 450 : 200 : 50 -> 6.43, 2.86, 0.71: floors 6, 2, 0 and the two units left go to .86, .71
    assert [x["adjustment"] for x in data["lines"]] == ["-0.06", "-0.03", "-0.01"]
    assert data["totals"]["subtotal"] == "699.90"


def test_no_charge_and_charge_again(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[1]

    data = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/no-charge", {}).json()
    assert (data["lines"][1]["is_no_charge"], data["lines"][1]["total"], data["totals"]["subtotal"]) == (
        True, "0.00", "500.00")

    data = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/no-charge", {"no_charge": False}).json()
    assert (data["lines"][1]["is_no_charge"], data["lines"][1]["total"], data["totals"]["subtotal"]) == (
        False, "200.00", "700.00")


def test_edit_narrative(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]

    data = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/narrative", {"narrative": " Legal research "}).json()

    assert data["lines"][0]["narrative"] == "Legal research"
    assert api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/narrative", {}).json()["field"] == "narrative"


def test_code_a_line(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]

    data = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/codes", {"task_code": "l120", "activity_code": "A104"})

    assert (data.status_code, data.json()["lines"][0]["task_code"], data.json()["lines"][0]["activity_code"]) == (
        200, "L120", "A104")
    refused = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/codes", {"expense_code": "E101"})
    assert (refused.status_code, refused.json()["field"]) == (422, "expense_code")
    assert "it takes no expense code" in refused.json()["detail"]


def test_move_a_line_to_another_matter(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    other = factories.make_matter(firm, client=matter.client, billing_attorney=partner, number="ACME-002")
    line = _lines(prebill)[0]

    data = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/move", {"matter": "ACME-002"}).json()

    assert ([x["id"] for x in data["lines"]], data["totals"]["subtotal"]) == ([x.pk for x in _lines(prebill)[1:]],
                                                                              "250.00")
    entry = TimeEntry.objects.get(pk=line.time_entry_id)
    assert (entry.matter_id, entry.status) == (other.pk, "open")


@pytest.mark.parametrize("body,field", [({}, "matter"), ({"matter": "NOPE"}, "matter"),
                                        ({"matter": "ACME-001"}, "matter")])
def test_a_refused_move_changes_nothing(api, firm, matter, partner, associate, body, field):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]
    before = _figures(prebill)

    response = api.post(f"/prebills/{prebill.pk}/lines/{line.pk}/move", body)

    assert (response.status_code, response.json()["field"]) == (422, field)
    assert _figures(prebill) == before
    assert TimeEntry.objects.get(pk=line.time_entry_id).status == "on_prebill"


def test_hold_a_line_for_next_month(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    courier = _lines(prebill)[2]

    data = api.post(f"/prebills/{prebill.pk}/lines/{courier.pk}/hold", {}).json()

    assert (data["line_count"], data["totals"]["expenses"], data["total"]) == (2, "0.00", "650.00")
    courier.refresh_from_db()
    assert (courier.is_current, courier.is_held, courier.expense.status) == (False, True, "open")
    again = api.post(f"/prebills/{prebill.pk}/lines/{courier.pk}/hold", {})
    assert again.status_code == 409


def test_ask_and_answer_a_query(api, firm, matter, partner, associate, admin_user):
    prebill = acme_prebill(firm, matter, partner, associate)
    line = _lines(prebill)[0]

    asked = api.post(f"/prebills/{prebill.pk}/queries", {"question": "Which research?", "line": line.pk})

    assert asked.status_code == 201
    query = asked.json()
    assert {k: query[k] for k in ("prebill_id", "line_id", "question", "asked_by", "answer", "answered_at")} == {
        "prebill_id": prebill.pk, "line_id": line.pk, "question": "Which research?",
        "asked_by": "admin@arnsley.example", "answer": "", "answered_at": None}
    assert [q["id"] for q in api.get(f"/prebills/{prebill.pk}").json()["open_queries"]] == [query["id"]]

    answered = api.post(f"/prebills/{prebill.pk}/queries/{query['id']}/answer", {"answer": "Case law on damages"})

    assert answered.status_code == 200
    assert (answered.json()["answer"], answered.json()["answered_by"]) == ("Case law on damages",
                                                                           "admin@arnsley.example")
    assert api.get(f"/prebills/{prebill.pk}").json()["open_queries"] == []
    again = api.post(f"/prebills/{prebill.pk}/queries/{query['id']}/answer", {"answer": "Other"})
    assert again.status_code == 409
    assert PreBillQuery.objects.get().answer == "Case law on damages"


@pytest.mark.parametrize("body,field", [({}, "question"), ({"question": "Why?", "line": 999999}, "line")])
def test_a_refused_query_adds_nothing(api, firm, matter, partner, associate, body, field):
    prebill = acme_prebill(firm, matter, partner, associate)
    before = _figures(prebill)

    response = api.post(f"/prebills/{prebill.pk}/queries", body)

    assert (response.status_code, response.json()["field"]) == (422, field)
    assert _figures(prebill) == before


def test_an_approved_pre_bill_cannot_be_edited(api, firm, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")
    line = _lines(prebill)[0]
    before = _figures(prebill)

    for path, body in [(f"lines/{line.pk}/write", {"amount": "-1"}), ("write", {"percent": "5"}),
                       (f"lines/{line.pk}/no-charge", {}), (f"lines/{line.pk}/hold", {}),
                       (f"lines/{line.pk}/narrative", {"narrative": "x"}), ("queries", {"question": "?"}),
                       ("submit", {})]:
        response = api.post(f"/prebills/{prebill.pk}/{path}", body)
        assert response.status_code == 409, path
    assert _figures(prebill) == before
    assert PreBill.objects.get().status == "approved"


def test_an_issued_pre_bill_reports_the_lines_and_total_it_was_issued_with(api, firm, matter, partner, associate):
    issued = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON)
    assert issued.prebill is not None
    draft = acme_prebill(firm, matter, partner, associate)

    items = {item["id"]: item for item in api.get("/prebills/").json()["items"]}
    detail = api.get(f"/prebills/{issued.prebill.pk}").json()

    assert {k: items[issued.prebill.pk][k] for k in ("status", "line_count", "total", "invoices")} == {
        "status": "issued", "line_count": 3, "total": "1375.10", "invoices": [issued.number]}
    assert {k: items[draft.pk][k] for k in ("status", "line_count", "total", "invoices")} == {
        "status": "draft", "line_count": 3, "total": "700.00", "invoices": []}
    assert {k: detail[k] for k in ("status", "line_count", "total", "invoices", "lines")} == {
        "status": "issued", "line_count": 3, "total": "1375.10", "invoices": [issued.number], "lines": []}
