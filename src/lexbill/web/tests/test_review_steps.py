"""Whole-bill actions and the status steps through the review page: write the bill, submit, approve, reject,
answer a query, issue; the pro forma PDF; and who may do which."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from lexbill.billing.models import Invoice, PreBillQuery
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.testing import factories

from .review_support import acme_prebill, figures, line_url, lines_of, login


@pytest.fixture
def prebill(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    return acme_prebill(firm, matter, partner, associate)


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "billing")
    return http


def test_whole_bill_write_down_by_percent_spreads_over_lines(clerk, prebill):  # type: ignore[no-untyped-def]
    response = clerk.post(f"/prebills/{prebill.pk}/write/", {"mode": "percent", "direction": "down", "value": "10"},
                          follow=True)
    # 10 % of 1,395.00 = 139.50, by line base: 60.00 + 75.00 + 4.50
    assert [line.adjustment_minor for line in lines_of(prebill)] == [-6000, -7500, -450]
    html = response.content.decode()
    assert '<dd class="num" id="total-adjustments">-139.50</dd>' in html
    assert "<strong>1,255.50</strong>" in html


def test_whole_bill_write_down_too_large_is_refused(clerk, prebill):  # type: ignore[no-untyped-def]
    before = figures(prebill)
    response = clerk.post(f"/prebills/{prebill.pk}/write/", {"mode": "amount", "direction": "down",
                                                             "value": "2000.00"})
    assert response.status_code == 422
    assert "Nothing changed: a write-down of 200000 is more than the bill&#x27;s 139500" in response.content.decode()
    assert 'value="2000.00"' in response.content.decode()  # the input is kept
    assert figures(prebill) == before


def test_submit_approve_and_issue(firm, clerk, prebill, partner):  # type: ignore[no-untyped-def]
    assert clerk.post(f"/prebills/{prebill.pk}/submit/").status_code == 302
    prebill.refresh_from_db()
    assert prebill.status == "in_review"
    attorney = HttpClient()
    user = login(attorney, firm, "attorney", timekeeper=partner)
    response = attorney.post(f"/prebills/{prebill.pk}/approve/", follow=True)
    prebill.refresh_from_db()
    assert (prebill.status, prebill.approved_by) == ("approved", user)
    assert f"by {user.email} on" in response.content.decode()
    response = clerk.post(f"/prebills/{prebill.pk}/issue/")
    invoice = Invoice.objects.get(prebill=prebill)
    assert response["Location"] == f"/invoices/{invoice.pk}/"
    assert (invoice.subtotal_minor, invoice.total_minor - invoice.tax_minor) == (139500, 139500)
    # issuing twice is a clear refusal, not a second invoice
    again = clerk.post(f"/prebills/{prebill.pk}/issue/")
    assert again.status_code == 422
    assert f"pre-bill {prebill.pk} is already issued" in again.content.decode()
    assert Invoice.objects.count() == 1


def test_issue_of_an_unapproved_prebill_is_refused(clerk, prebill):  # type: ignore[no-untyped-def]
    before = figures(prebill)
    response = clerk.post(f"/prebills/{prebill.pk}/issue/")
    assert response.status_code == 422
    assert "only an approved pre-bill can be issued" in response.content.decode()
    assert figures(prebill) == before
    assert Invoice.objects.count() == 0


def test_reject_needs_a_reason_then_goes_back_to_draft(clerk, prebill):  # type: ignore[no-untyped-def]
    prebill.status = "approved"
    prebill.save()
    before = figures(prebill)
    response = clerk.post(f"/prebills/{prebill.pk}/reject/", {"reason": "  "})
    assert response.status_code == 422
    assert figures(prebill) == before
    response = clerk.post(f"/prebills/{prebill.pk}/reject/", {"reason": "Write off the courier"}, follow=True)
    prebill.refresh_from_db()
    assert (prebill.status, prebill.rejected_reason) == ("draft", "Write off the courier")
    assert '<dd id="prebill-rejected">Write off the courier</dd>' in response.content.decode()


def test_the_billing_attorney_answers_a_query(firm, prebill, partner):  # type: ignore[no-untyped-def]
    query = prebill_query_add(prebill=prebill, question="Why 2.0 h?", actor=None, line=lines_of(prebill)[0])
    attorney = HttpClient()
    login(attorney, firm, "attorney", timekeeper=partner)
    response = attorney.post(f"/prebills/{prebill.pk}/queries/{query.pk}/answer/", {"answer": "Long motion"},
                             follow=True)
    query.refresh_from_db()
    assert (query.answer, query.answered_by.email) == ("Long motion", "attorney@arnsley.example")
    assert '<span class="answer-text">Long motion</span>' in response.content.decode()


def test_pro_forma_pdf_is_served_inline(clerk, prebill):  # type: ignore[no-untyped-def]
    response = clerk.get(f"/prebills/{prebill.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="prebill-{prebill.pk}.pdf"'
    assert response.content.startswith(b"%PDF")


# --- roles -----------------------------------------------------------------------------------------------------

def test_accounting_reads_but_cannot_change(firm, prebill):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "accounting")
    page = http.get(f"/prebills/{prebill.pk}/")
    assert page.status_code == 200
    assert 'class="write-form"' not in page.content.decode()
    before = figures(prebill)
    jd = lines_of(prebill)[0]
    assert http.post(line_url(prebill, jd, "write"), {"mode": "percent", "value": "10"}).status_code == 403
    assert http.post(f"/prebills/{prebill.pk}/approve/").status_code == 403
    assert http.post(f"/prebills/{prebill.pk}/issue/").status_code == 403
    assert figures(prebill) == before


def test_attorney_sees_and_approves_only_own_matters(firm, client_acme, prebill, partner, associate):  # type: ignore[no-untyped-def]
    theirs = factories.make_matter(firm, client=client_acme, billing_attorney=associate, number="ACME-009")
    other = acme_prebill(firm, theirs, partner, associate)
    http = HttpClient()
    login(http, firm, "attorney", timekeeper=partner)
    assert http.get(f"/prebills/{prebill.pk}/").status_code == 200
    assert 'id="approve-button"' in http.get(f"/prebills/{prebill.pk}/").content.decode()
    assert 'class="write-form"' not in http.get(f"/prebills/{prebill.pk}/").content.decode()
    before = figures(other)
    assert http.get(f"/prebills/{other.pk}/").status_code == 404
    assert http.post(f"/prebills/{other.pk}/approve/").status_code == 404
    assert http.post(line_url(prebill, lines_of(prebill)[0], "write"),
                     {"mode": "percent", "value": "10"}).status_code == 403
    assert figures(other) == before
    listed = http.get("/prebills/").content.decode()
    assert f'id="prebill-{prebill.pk}"' in listed and f'id="prebill-{other.pk}"' not in listed
    queue = http.get("/approvals/").content.decode()
    assert f'id="approval-{prebill.pk}"' in queue and f'id="approval-{other.pk}"' not in queue


def test_client_user_gets_404(firm, prebill):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "client")
    for url in ("/prebills/", "/approvals/", f"/prebills/{prebill.pk}/", f"/prebills/{prebill.pk}/pdf/"):
        assert http.get(url).status_code == 404
    assert http.post(f"/prebills/{prebill.pk}/approve/").status_code == 404


def test_a_line_of_another_prebill_is_404(clerk, firm, matter, partner, associate, prebill):  # type: ignore[no-untyped-def]
    second = acme_prebill(firm, matter, partner, associate)
    foreign_line = lines_of(second)[0]
    before = figures(second)
    assert clerk.post(line_url(prebill, foreign_line, "hold")).status_code == 404
    assert figures(second) == before
    assert PreBillQuery.objects.count() == 0
