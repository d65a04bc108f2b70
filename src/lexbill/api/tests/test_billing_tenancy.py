"""Another firm's bill runs, pre-bills, lines, queries and invoices answer 404 on every billing endpoint,
by GET and by POST, and stay exactly as they were; lists never show them."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import BillRun, Invoice, PreBill, PreBillLine, PreBillQuery
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.models import AuditEvent
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_firm):  # type: ignore[no-untyped-def]
    with firm_scope(other_firm):
        tk = factories.make_timekeeper(other_firm, initials="ZZ", classification="PT")
        matter = factories.make_matter(other_firm, billing_attorney=tk, number="F-001")
        run = BillRun.objects.create(firm=other_firm, through_on=date(2026, 3, 31))
        draft = make_prebill(other_firm, matter, work=[(tk, date(2026, 3, 2), "1.0", "Foreign work")])
        line = PreBillLine.objects.get(prebill=draft)
        query = PreBillQuery.objects.create(firm=other_firm, prebill=draft, question="Foreign?",
                                            asked_at=draft.created_at)
        approved = make_prebill(other_firm, matter, work=[(tk, date(2026, 3, 3), "1.0", "More")], status="approved")
        issued = make_prebill(other_firm, matter, work=[(tk, date(2026, 3, 4), "1.0", "Billed")], status="approved")
        invoice = invoice_issue(prebill=issued, actor=None, issued_on=date(2026, 4, 2))
    return {"run": run, "draft": draft, "line": line, "query": query, "approved": approved, "invoice": invoice}


def _state(firm):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return (list(PreBill.objects.filter(firm=firm).order_by("pk").values_list("pk", "status")),
                list(PreBillLine.objects.filter(firm=firm).order_by("pk")
                     .values_list("pk", "total_minor", "is_current", "narrative")),
                list(PreBillQuery.objects.filter(firm=firm).values_list("pk", "answer")),
                list(Invoice.objects.filter(firm=firm).values_list("pk", "number", "pdf_sha256")),
                BillRun.objects.filter(firm=firm).count(), AuditEvent.objects.filter(firm=firm).count())


def test_every_billing_endpoint_answers_404_for_another_firms_ids(api, firm, other_firm, theirs):
    before = _state(other_firm)
    run, draft, line, query, invoice = (theirs[k].pk for k in ("run", "draft", "line", "query", "invoice"))
    gets = [f"/bill-runs/{run}", f"/prebills/{draft}", f"/invoices/{invoice}", f"/invoices/{invoice}/pdf"]
    posts = [
        (f"/prebills/{draft}/lines/{line}/write", {"amount": "-1"}), (f"/prebills/{draft}/write", {"percent": "5"}),
        (f"/prebills/{draft}/lines/{line}/narrative", {"narrative": "x"}),
        (f"/prebills/{draft}/lines/{line}/no-charge", {}), (f"/prebills/{draft}/lines/{line}/hold", {}),
        (f"/prebills/{draft}/lines/{line}/move", {"matter": "F-001"}),
        (f"/prebills/{draft}/queries", {"question": "?"}),
        (f"/prebills/{draft}/queries/{query}/answer", {"answer": "x"}), (f"/prebills/{draft}/submit", {}),
        (f"/prebills/{draft}/approve", {}), (f"/prebills/{draft}/reject", {"reason": "x"}),
        ("/invoices/", {"prebill": theirs["approved"].pk}),
        (f"/invoices/{invoice}/credit-notes", {"full": True, "reason": "x"}),
    ]

    for path in gets:
        response = api.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
    for path, body in posts:
        response = api.post(path, body)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
        assert b"Foreign" not in response.content
    assert _state(other_firm) == before


def test_lists_show_nothing_of_another_firm(api, firm, other_firm, theirs):
    for path in ("/bill-runs/", "/prebills/", "/invoices/"):
        assert api.get(path).json() == {"items": [], "count": 0}, path
    assert api.get("/prebills/", matter="F-001").json()["count"] == 0


def test_a_bill_run_never_selects_another_firms_matters(api, firm, other_firm, theirs):
    response = api.post("/bill-runs/", {"through": "2026-03-31", "matters": ["F-001"]})

    assert (response.status_code, response.json()["field"]) == (422, "matters")
    assert _state(other_firm)[0] == [(theirs["draft"].pk, "draft"), (theirs["approved"].pk, "approved"),
                                     (theirs["invoice"].prebill_id, "issued")]
