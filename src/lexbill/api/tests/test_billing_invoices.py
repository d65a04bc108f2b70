"""/invoices: issue an approved pre-bill (409 when issued already), read, PDF, credit notes; refusals."""

import hashlib

import pytest

from lexbill.billing.models import Invoice, NumberSeries, PreBill, TaxRate
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_client_settings
from lexbill.timekeeping.models import Expense, TimeEntry

from .billing_api_helpers import acme_prebill, api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def vat(firm, client_acme):  # type: ignore[no-untyped-def]
    """20 % VAT on the total for Acme."""
    set_client_settings(client_acme, tax_method="on_total")
    TaxRate.objects.create(firm=firm, name="VAT", rate_ppm=200_000)


@pytest.fixture
def approved(firm, matter, partner, associate, vat):  # type: ignore[no-untyped-def]
    return acme_prebill(firm, matter, partner, associate, status="approved")


def _state():  # type: ignore[no-untyped-def]
    return (list(Invoice.objects.values_list("number", "kind", "total_minor")),
            list(NumberSeries.objects.values_list("name", "next_seq")),
            sorted(TimeEntry.objects.values_list("pk", "status")), sorted(Expense.objects.values_list("pk", "status")),
            sorted(PreBill.objects.values_list("pk", "status")), AuditEvent.objects.count())


def test_issue_an_approved_pre_bill(api, firm, approved, admin_user):
    response = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"})

    assert response.status_code == 201, response.json()
    body = response.json()
    invoice = Invoice.objects.get()
    assert {k: body[k] for k in ("id", "number", "kind", "client", "matter", "prebill_id", "currency", "issued_on",
                                 "due_on", "fees", "expenses", "adjustments", "subtotal", "tax", "total",
                                 "tax_method", "credited", "credit_notes")} == {
        "id": invoice.pk, "number": "2026-00001", "kind": "invoice", "client": "ACME", "matter": "ACME-001",
        "prebill_id": approved.pk, "currency": "USD", "issued_on": "2026-04-02", "due_on": "2026-05-02",
        "fees": "650.00", "expenses": "50.00", "adjustments": "0.00", "subtotal": "700.00", "tax": "140.00",
        "total": "840.00", "tax_method": "on_total", "credited": "0.00", "credit_notes": []}
    assert [(x["position"], x["kind"], x["timekeeper"], x["hours_billed"], x["rate"], x["total"], x["tax"])
            for x in body["lines"]] == [
        (1, "fee", "Jane Doe", "1.5", "300.00", "450.00", "90.00"),
        (2, "fee", "Robert Arnsley", "0.4", "500.00", "200.00", "40.00"),
        (3, "expense", "", None, None, "50.00", "10.00"),
    ]
    assert body["taxes"] == [{"name": "VAT", "rate_ppm": 200000, "taxable": "700.00", "tax": "140.00"}]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"billed"}
    assert invoice.issued_by == admin_user


def test_issuing_the_same_pre_bill_again_is_409_and_changes_nothing(api, approved):
    api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"})
    before = _state()

    response = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"})

    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert _state() == before


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_issuing_an_unapproved_pre_bill_is_409(api, firm, matter, partner, associate, status):
    prebill = acme_prebill(firm, matter, partner, associate, status=status)
    before = _state()

    response = api.post("/invoices/", {"prebill": prebill.pk, "issued_on": "2026-04-02"})

    assert response.status_code == 409
    assert _state() == before


def test_issuing_an_empty_pre_bill_is_422(api, firm, matter):
    empty = PreBill.objects.create(firm=firm, client=matter.client, matter=matter, currency="USD",
                                   period_end=matter.opened_on, status="approved")
    before = _state()

    assert api.post("/invoices/", {"prebill": empty.pk}).status_code == 422
    assert _state() == before


def test_issuing_an_unknown_pre_bill_is_404(api, firm):
    assert api.post("/invoices/", {"prebill": 424242}).status_code == 404


def test_list_and_filters(api, approved):
    api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"})

    body = api.get("/invoices/").json()
    assert body["count"] == 1
    assert {k: body["items"][0][k] for k in ("number", "kind", "client", "subtotal", "tax", "total")} == {
        "number": "2026-00001", "kind": "invoice", "client": "ACME", "subtotal": "700.00", "tax": "140.00",
        "total": "840.00"}
    for query, count in [({"kind": "invoice"}, 1), ({"kind": "credit_note"}, 0), ({"client": "ACME"}, 1),
                         ({"client": "NOPE"}, 0), ({"matter": "ACME-001"}, 1), ({"date_from": "2026-04-03"}, 0),
                         ({"date_to": "2026-04-02"}, 1)]:
        assert api.get("/invoices/", **query).json()["count"] == count, query


def test_pdf_download_records_its_hash(api, approved):
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]

    response = api.get(f"/invoices/{invoice_id}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="2026-00001.pdf"'
    assert response.content.startswith(b"%PDF")
    assert Invoice.objects.get().pdf_sha256 == hashlib.sha256(response.content).hexdigest()
    assert api.get(f"/invoices/{invoice_id}").json()["pdf_sha256"] == hashlib.sha256(response.content).hexdigest()


def test_partial_credit_note(api, approved):
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]

    response = api.post(f"/invoices/{invoice_id}/credit-notes", {"amount": "100.00", "reason": "Goodwill",
                                                                 "issued_on": "2026-04-10"})

    assert response.status_code == 201, response.json()
    note = response.json()
    assert {k: note[k] for k in ("kind", "number", "credits", "credits_id", "reason", "issued_on", "subtotal", "tax",
                                 "total")} == {
        "kind": "credit_note", "number": "CN2026-00001", "credits": "2026-00001", "credits_id": invoice_id,
        "reason": "Goodwill", "issued_on": "2026-04-10", "subtotal": "-100.00", "tax": "-20.00",
        "total": "-120.00"}
    invoice = api.get(f"/invoices/{invoice_id}").json()
    assert (invoice["credited"], invoice["credit_notes"]) == ("100.00", ["CN2026-00001"])
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"billed"}


def test_full_credit_note_puts_the_work_back_into_wip(api, approved):
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]

    note = api.post(f"/invoices/{invoice_id}/credit-notes", {"full": True, "reason": "Wrong client",
                                                             "issued_on": "2026-04-10"}).json()

    assert (note["subtotal"], note["tax"], note["total"]) == ("-700.00", "-140.00", "-840.00")
    assert [x["total"] for x in note["lines"]] == ["-450.00", "-200.00", "-50.00"]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"open"}
    assert Expense.objects.get().status == "open"


@pytest.mark.parametrize("body,status", [
    ({"reason": "x"}, 422),  # neither full nor amount
    ({"full": True, "amount": "1.00", "reason": "x"}, 422),
    ({"amount": "1.00"}, 422),  # no reason
    ({"amount": "0"}, 422),
    ({"amount": "1.001", "reason": "x"}, 422),
    ({"amount": "700.01", "reason": "x"}, 409),
    ({"amount": "1.00", "reason": "x", "issued_on": "2026-04-01"}, 422),  # before the invoice
])
def test_a_refused_credit_note_changes_nothing(api, approved, body, status):
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]
    before = _state()

    response = api.post(f"/invoices/{invoice_id}/credit-notes", body)

    assert response.status_code == status, response.json()
    assert _state() == before


def test_a_credit_note_cannot_be_credited(api, approved):
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]
    note_id = api.post(f"/invoices/{invoice_id}/credit-notes", {"amount": "10", "reason": "x",
                                                                "issued_on": "2026-04-10"}).json()["id"]
    before = _state()

    assert api.post(f"/invoices/{note_id}/credit-notes", {"amount": "1", "reason": "x"}).status_code == 422
    assert _state() == before


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_only_billing_roles_issue_and_credit(firm, approved, api, role):
    other, _user = api_as(firm, role)
    before = _state()
    assert other.post("/invoices/", {"prebill": approved.pk}).status_code == 403
    assert _state() == before
    invoice_id = api.post("/invoices/", {"prebill": approved.pk, "issued_on": "2026-04-02"}).json()["id"]
    before = _state()
    assert other.post(f"/invoices/{invoice_id}/credit-notes", {"full": True, "reason": "x"}).status_code == 403
    assert _state() == before
    # An attorney sees only the invoices of her matters (lexbill.access, as in the web); this one is RA's.
    sees = role != "attorney"
    assert other.get(f"/invoices/{invoice_id}").status_code == (200 if sees else 404)
    assert other.get("/invoices/").json()["count"] == (1 if sees else 0)
