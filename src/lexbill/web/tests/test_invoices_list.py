"""The invoice list: columns, filters (client, kind, dates, number), pagination, constant query count."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lexbill.billing.services.credit import credit_note_issue
from lexbill.testing import factories

from .invoices_support import NOW, plain_invoice
from .records_support import count_queries, login_as


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


@pytest.fixture
def invoices(firm, matter, partner, associate):
    """ACME-001: 2026-00001 on Apr 2 (RA 1.5 h = 750.00), 2026-00002 on May 4 (JD 2.0 h = 600.00);
    BETA-001: 2026-00003 on May 20 (JD 0.5 h = 150.00); credit note CN2026-00001 on May 5 (-100.00 of 00001)."""
    beta = factories.make_client(firm, code="BETA", name="Beta Industries")
    beta_matter = factories.make_matter(firm, client=beta, billing_attorney=partner, number="BETA-001")
    first = plain_invoice(firm, matter, partner, "1.5", date(2026, 4, 2))
    second = plain_invoice(firm, matter, associate, "2.0", date(2026, 5, 4), worked_on=date(2026, 4, 6))
    third = plain_invoice(firm, beta_matter, associate, "0.5", date(2026, 5, 20), worked_on=date(2026, 4, 7))
    note = credit_note_issue(invoice=first, actor=None, reason="Courtesy discount", issued_on=date(2026, 5, 5),
                             amount_minor=10000, now=NOW)
    return first, second, third, note


def numbers(response):
    assert response.status_code == 200
    return [inv.number for inv in response.context["page"]]


def test_the_list_shows_every_invoice_newest_first_with_its_figures(clerk, invoices):
    response = clerk.get(reverse("invoice_list"))

    assert numbers(response) == ["2026-00003", "CN2026-00001", "2026-00002", "2026-00001"]
    html = response.content.decode()
    assert "Credit note" in html and "of 2026-00001" in html
    assert ">-100.00<" in html and ">750.00<" in html and ">600.00<" in html and ">150.00<" in html
    assert "2026-05-20" in html and "BETA-001" in html and "Beta Industries" in html


@pytest.mark.parametrize(("query", "expected"), [
    ({"client": "beta"}, ["2026-00003"]),
    ({"client": "ACME"}, ["CN2026-00001", "2026-00002", "2026-00001"]),
    ({"kind": "credit_note"}, ["CN2026-00001"]),
    ({"kind": "invoice", "client": "ACME"}, ["2026-00002", "2026-00001"]),
    ({"date_from": "2026-05-04", "date_to": "2026-05-05"}, ["CN2026-00001", "2026-00002"]),
    ({"date_to": "2026-04-30"}, ["2026-00001"]),
    ({"q": "00001"}, ["CN2026-00001", "2026-00001"]),
    ({"q": "CN"}, ["CN2026-00001"]),
    ({"client": "NOBODY"}, []),
])
def test_filters(clerk, invoices, query, expected):
    assert numbers(clerk.get(reverse("invoice_list"), query)) == expected


@pytest.mark.parametrize("query", [{"kind": "bogus"}, {"date_from": "2026-02-30"}, {"page": "x"}, {"page": "99"}])
def test_a_bad_filter_is_ignored_never_an_error(clerk, invoices, query):
    response = clerk.get(reverse("invoice_list"), {**query, "client": "ACME"})

    assert response.status_code == 200
    assert numbers(response) == ["CN2026-00001", "2026-00002", "2026-00001"]


def test_pagination(clerk, invoices, monkeypatch):
    monkeypatch.setattr("lexbill.web.views_records.common.PER_PAGE", 3)

    first = clerk.get(reverse("invoice_list"))
    second = clerk.get(reverse("invoice_list"), {"page": "2"})

    assert numbers(first) == ["2026-00003", "CN2026-00001", "2026-00002"]
    assert numbers(second) == ["2026-00001"]
    assert "Page 1 of 2 · 4 in all" in first.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_invoices(clerk, firm, matter, partner, client_acme):
    plain_invoice(firm, matter, partner, "1.0", date(2026, 4, 2))
    few, _ = count_queries(clerk, reverse("invoice_list"))
    other = factories.make_matter(firm, client=factories.make_client(firm, code="GAMMA"), number="GAMMA-1")
    for day in (3, 4, 5, 6):
        plain_invoice(firm, other, partner, "1.0", date(2026, 4, day))

    many, response = count_queries(clerk, reverse("invoice_list"))

    assert len(numbers(response)) == 5
    assert many == few
