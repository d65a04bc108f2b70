"""/submissions and /invoices/{id}/ledes."""

import pytest

from lexbill.core.models import AuditEvent
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_1998b
from lexbill.ebilling.models import Submission, SubmissionLine
from lexbill.ebilling.tests.submission_helpers import portal_invoice, submitted

from .billing_api_helpers import api_as


def test_submit_answer_and_read(firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    api, _ = api_as(firm, "billing")
    response = api.post("/submissions", {"invoice": invoice.pk, "format": "1998B"})
    assert response.status_code == 201, response.content
    body = response.json()
    sub = Submission.objects.get()
    assert (body["id"], body["invoice"], body["portal"], body["format"], body["profile"], body["status"],
            body["file_sha256"]) == (sub.pk, invoice.number, "Legal Tracker", "1998B", "standard", "submitted",
                                     sub.file_sha256)
    response = api.post(f"/submissions/{sub.pk}/status", {"status": "reduced", "on": "2026-04-10", "lines": [
        {"line": 1, "reason_code": "RATE", "reason": "rate cap", "reduced_by": "50.00"}]})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["lines"]) == ("reduced", [
        {"line": 1, "status": "reduced", "reason_code": "RATE", "reason": "rate cap", "reduced_by": "50.00"}])
    listed = api.get("/submissions", status="reduced").json()
    assert (listed["count"], [x["id"] for x in listed["items"]]) == (1, [sub.pk])
    assert api.get("/submissions", status="paid").json() == {"items": [], "count": 0}
    assert api.get(f"/submissions/{sub.pk}").json()["status_on"] == "2026-04-10"


def test_ledes_download(firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    api, _ = api_as(firm, "accounting")
    response = api.get(f"/invoices/{invoice.pk}/ledes", format="1998B")
    assert response.status_code == 200
    assert response.content == write_1998b(invoice_document(invoice))
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.txt"'
    assert api.get(f"/invoices/{invoice.pk}/ledes", format="2000").status_code == 422
    assert api.get(f"/invoices/{invoice.pk}/ledes", profile="odd").status_code == 404


@pytest.mark.parametrize(("body", "code", "message"), [
    ({"status": "paid"}, 409, "a submitted submission cannot become paid"),
    ({"status": "reduced", "lines": [{"line": 9, "reason": "x", "reduced_by": "1.00"}]}, 422, "no line 9"),
    ({"status": "rejected"}, 422, "needs the portal's reason"),
])
def test_refused_answers_change_nothing(firm, matter, partner, associate, body, code, message):
    sub = submitted(firm, matter, partner, associate)
    api, _ = api_as(firm, "admin")
    events = AuditEvent.objects.filter(firm=firm).count()
    response = api.post(f"/submissions/{sub.pk}/status", body)
    assert (response.status_code, message in response.content.decode()) == (code, True), response.content
    sub.refresh_from_db()
    assert (sub.status, SubmissionLine.objects.count(), AuditEvent.objects.filter(firm=firm).count()) == (
        "submitted", 0, events)


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_read_only_roles_cannot_submit_or_answer(firm, matter, partner, associate, role):
    sub = submitted(firm, matter, partner, associate)
    api, _ = api_as(firm, role)
    # An attorney sees the submissions of her own matters' invoices only (lexbill.access, as in the web).
    sees = role != "attorney"
    assert api.get(f"/submissions/{sub.pk}").status_code == (200 if sees else 404)
    assert api.post(f"/submissions/{sub.pk}/status", {"status": "accepted"}).status_code == 403
    assert api.post("/submissions", {"invoice": sub.invoice_id}).status_code == 403
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count()) == ("submitted", 1)


def test_another_firms_token_gets_404(firm, other_firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    from lexbill.core.tenancy import firm_scope

    with firm_scope(other_firm):
        api, _ = api_as(other_firm, "admin")
    assert api.get(f"/submissions/{sub.pk}").status_code == 404
    assert api.get(f"/invoices/{sub.invoice_id}/ledes").status_code == 404
    assert api.post(f"/submissions/{sub.pk}/status", {"status": "accepted"}).status_code == 404
    assert api.post("/submissions", {"invoice": sub.invoice_id}).status_code == 404
    assert api.get("/submissions").json() == {"items": [], "count": 0}
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count()) == ("submitted", 1)


def test_resubmit_refuses_the_unchanged_file_then_records_what_changed(firm, matter, partner, associate):
    # Given a rejected submission
    sub = submitted(firm, matter, partner, associate)
    api, _ = api_as(firm, "billing")
    assert api.post(f"/submissions/{sub.pk}/status", {"status": "rejected", "reason": "wrong format",
                                                      "on": "2026-04-06"}).status_code == 200
    # When it is resubmitted unchanged: 409 with the typed code, nothing written
    response = api.post(f"/submissions/{sub.pk}/resubmit", {})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["detail"]) == (
        "file_unchanged", f"the file is unchanged since submission {sub.pk}: credit and re-bill the invoice, "
                          "or correct the export first")
    assert (Submission.objects.count(), Submission.objects.get().status) == (1, "rejected")
    # When it is resubmitted in another format: 201, and the answer says what changed
    response = api.post(f"/submissions/{sub.pk}/resubmit", {"format": "1998BI"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["corrects"], body["format"], body["change_summary"]) == (sub.pk, "1998BI", "format 1998B -> 1998BI")
    assert (body["changes"]["total_before"], body["changes"]["total_after"]) == ("1375.10", "1375.10")
    assert api.get(f"/submissions/{sub.pk}").json()["status"] == "superseded"
