"""The client and matter pages show unbilled WIP in hours and money, and their invoices with a status
(issued, sent, credited, part credited, credit note) and invoiced totals, at a constant number of queries
(issue #9 "Money on the pages")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.billing.models import Delivery, DeliveryStatus
from lexbill.billing.services.credit import credit_note_issue
from lexbill.testing import factories
from lexbill.timekeeping.models import ChargeType

from .invoices_support import NOW, plain_invoice
from .time_support import entry


@pytest.fixture
def clerk(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


def _section(html: str) -> str:
    return html[html.index('id="record-money"'):html.index("</section>", html.index('id="record-money"'))]


def test_a_matter_page_shows_its_wip_and_its_invoices_with_status(clerk, firm, matter, partner, associate):
    # Given three invoices: one sent, one credited in part, one fully credited (JD at 300.00, RA at 500.00)
    sent = plain_invoice(firm, matter, associate, "1.0", date(2026, 3, 31), worked_on=date(2026, 3, 2))
    Delivery.objects.create(firm=firm, invoice=sent, status=DeliveryStatus.SENT, recipients=["ap@acme.example"],
                            subject="Invoice", sent_at=NOW)
    part = plain_invoice(firm, matter, associate, "2.0", date(2026, 4, 1), worked_on=date(2026, 3, 3))
    credit_note_issue(invoice=part, actor=None, reason="Goodwill", issued_on=date(2026, 4, 2), amount_minor=10000,
                      now=NOW)
    full = plain_invoice(firm, matter, partner, "1.0", date(2026, 4, 3), worked_on=date(2026, 3, 4))
    credit_note_issue(invoice=full, actor=None, reason="Wrong matter", issued_on=date(2026, 4, 4), full=True,
                      now=NOW)
    # and unbilled time: 1.5 h billable (450.00) and 0.5 h no-charge
    entry(firm, matter, associate, on=date(2026, 3, 20), hours="1.5", narrative="Unbilled work")
    entry(firm, matter, associate, on=date(2026, 3, 21), hours="0.5", narrative="Courtesy",
          charge_type=ChargeType.NO_CHARGE)

    html = _section(clerk.get(f"/matters/{matter.pk}/").content.decode())

    # Then WIP is the 1.5 h plus RA's hour the full credit note released back to WIP: 450.00 + 500.00
    assert 'id="record-wip-hours">2.5<' in html
    assert '<strong class="record-wip-money">950.00 USD</strong>' in html
    statuses = dict(re.findall(r'<a href="/invoices/\d+/">([^<]+)</a>.*?class="badge invoice-status[^"]*">([^<]+)<',
                               html, re.S))
    assert statuses[sent.number] == "sent"
    assert statuses[part.number] == "part credited"
    assert statuses[full.number] == "credited"
    assert list(statuses.values()).count("credit note") == 2
    # Invoiced 300.00 + 600.00 + 500.00; credited 100.00 + 500.00
    assert re.search(r'id="record-invoiced-USD">1,400.00 · credited -600.00 · net 800.00 USD<', html)
    assert "balance" not in html.lower()


def test_a_client_page_totals_its_matters(clerk, firm, client_acme, matter, associate, partner):
    other = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    plain_invoice(firm, other, associate, "1.0", date(2026, 3, 31))
    entry(firm, matter, associate, on=date(2026, 3, 20), hours="1.0", narrative="Work")
    entry(firm, other, partner, on=date(2026, 3, 20), hours="0.3", narrative="Work")

    html = _section(clerk.get(f"/clients/{client_acme.pk}/").content.decode())

    assert 'id="record-wip-hours">1.3<' in html
    assert '<strong class="record-wip-money">450.00 USD</strong>' in html  # 300.00 + 0.3 x 500.00
    assert 'id="record-invoiced-USD">300.00 USD<' in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_money_section_costs_the_same_queries_for_1_and_many_rows(clerk, firm, matter, associate, partner):
    plain_invoice(firm, matter, associate, "1.0", date(2026, 3, 31))
    entry(firm, matter, associate, on=date(2026, 3, 20), hours="1.0", narrative="Work")
    url = f"/matters/{matter.pk}/"
    _queries(clerk, url)
    one = _queries(clerk, url)
    for n in range(4):
        plain_invoice(firm, matter, partner, "0.5", date(2026, 4, 1 + n), worked_on=date(2026, 3, 5 + n))
    for day in range(10, 20):
        entry(firm, matter, partner if day % 2 else associate, on=date(2026, 3, day), hours="0.2", narrative="Work")

    assert _queries(clerk, url) == one
