"""The pre-bill list, the approval queue and the review page: filters, totals, and a constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client as HttpClient

from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.tests.billing_helpers import ISSUED_ON, approved_prebill
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .records_support import count_queries
from .review_support import acme_prebill, login


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "billing")
    return http


def test_list_shows_lines_and_totals_and_filters(firm, clerk, matter, partner, associate):  # type: ignore[no-untyped-def]
    beta = factories.make_client(firm, code="BETA", name="Beta Ltd")
    beta_matter = factories.make_matter(firm, client=beta, billing_attorney=associate, number="BETA-001")
    acme = acme_prebill(firm, matter, partner, associate)
    other = make_prebill(firm, beta_matter, work=[(associate, date(2026, 3, 5), "1.0", "Call")],
                         status="in_review")
    html = clerk.get("/prebills/").content.decode()
    assert f'id="prebill-{acme.pk}"' in html and f'id="prebill-{other.pk}"' in html
    assert '<td class="num prebill-total">1,395.00 USD</td>' in html
    assert '<td class="num prebill-total">300.00 USD</td>' in html
    by_status = clerk.get("/prebills/?status=in_review").content.decode()
    assert f'id="prebill-{acme.pk}"' not in by_status and f'id="prebill-{other.pk}"' in by_status
    by_client = clerk.get(f"/prebills/?client={beta.pk}").content.decode()
    assert f'id="prebill-{acme.pk}"' not in by_client and f'id="prebill-{other.pk}"' in by_client
    by_attorney = clerk.get(f"/prebills/?attorney={partner.pk}").content.decode()
    assert f'id="prebill-{acme.pk}"' in by_attorney and f'id="prebill-{other.pk}"' not in by_attorney
    bad = clerk.get("/prebills/?status=nonsense")
    assert bad.status_code == 200 and "No pre-bills match." in bad.content.decode()


def test_queue_filters_by_attorney_and_leaves_out_approved(firm, clerk, matter, partner, associate):  # type: ignore[no-untyped-def]
    open_one = acme_prebill(firm, matter, partner, associate, status="in_review")
    approved = acme_prebill(firm, matter, partner, associate, status="approved")
    html = clerk.get("/approvals/").content.decode()
    assert f'id="approval-{open_one.pk}"' in html and f'id="approval-{approved.pk}"' not in html
    assert f'href="/prebills/{open_one.pk}/"' in html
    assert f'id="approval-{open_one.pk}"' not in clerk.get(f"/approvals/?attorney={associate.pk}").content.decode()


def _many_prebills(firm, count):  # type: ignore[no-untyped-def]
    for _ in range(count):
        tk = factories.make_timekeeper(firm, classification="PT")
        m = factories.make_matter(firm, billing_attorney=tk)
        make_prebill(firm, m, work=[(tk, date(2026, 3, 2), "1.0", "Work")])


def test_list_and_queue_query_counts_do_not_grow(firm, clerk):  # type: ignore[no-untyped-def]
    _many_prebills(firm, 2)
    few_list, _ = count_queries(clerk, "/prebills/")
    few_queue, _ = count_queries(clerk, "/approvals/")
    _many_prebills(firm, 12)
    many_list, response = count_queries(clerk, "/prebills/")
    many_queue, _ = count_queries(clerk, "/approvals/")
    assert response.content.decode().count('<tr id="prebill-') == 14
    assert (many_list, many_queue) == (few_list, few_queue)


def test_review_page_query_count_is_constant(firm, clerk, matter, associate):  # type: ignore[no-untyped-def]
    def prebill_with(lines: int):  # type: ignore[no-untyped-def]
        work = [(associate, date(2026, 1, 1) + timedelta(days=i % 80), "0.5", f"Task {i}") for i in range(lines)]
        return make_prebill(firm, matter, work=work)

    small = prebill_with(10)
    big = prebill_with(100)
    few, _ = count_queries(clerk, f"/prebills/{small.pk}/")
    many, response = count_queries(clerk, f"/prebills/{big.pk}/")
    assert response.content.decode().count('class="prebill-line kind-fee') == 100
    assert many == few


def test_an_issued_prebill_lists_what_it_was_issued_with_and_has_no_pro_forma(  # type: ignore[no-untyped-def]
        firm, clerk, matter, partner, associate):
    issued = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON)
    prebill = issued.prebill
    assert prebill is not None
    few, _ = count_queries(clerk, "/prebills/")
    html = clerk.get("/prebills/").content.decode()
    row = html.split(f'<tr id="prebill-{prebill.pk}">')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in row
    assert '<td class="num prebill-total">1,375.10 USD</td>' in row
    assert f'<span class="prebill-invoices">{issued.number}</span>' in row
    second = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON)
    many, response = count_queries(clerk, "/prebills/")
    assert f'<span class="prebill-invoices">{second.number}</span>' in response.content.decode()
    assert many == few
    review = clerk.get(f"/prebills/{prebill.pk}/").content.decode()
    assert 'id="prebill-pdf-link"' not in review and "Pro forma PDF" not in review
    refused = clerk.get(f"/prebills/{prebill.pk}/pdf/")
    assert refused.status_code == 409
    assert refused.content.decode() == (f"pre-bill {prebill.pk} is issued, so it has no pro forma: print invoice "
                                        f"{issued.number} instead (lexbill invoice pdf NUMBER)")
