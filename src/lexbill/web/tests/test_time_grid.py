"""The time-entry review grid: columns, filters, totals, pagination and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.testing import factories
from lexbill.timekeeping.models import ChargeType

from .time_support import entry, mark_billed


@pytest.fixture
def clerk(firm):
    return factories.make_user(firm, email="clerk@arnsley.example", role="billing")


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client


def row_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="entry-(\d+)"', response.content.decode())]


def test_grid_shows_every_column_a_clerk_reviews(logged_in, firm, matter, associate):
    given = entry(firm, matter, associate, on=date(2026, 3, 2), hours="1.25", narrative="Reviewed discovery",
                  task_code="L310", activity_code="A104")

    response = logged_in.get("/time/")

    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'id="entry-{given.pk}"'):]
    row = row[:row.index("</tr>")]
    for text in ("2026-03-02", ">JD<", "ACME-001", "Acme v. Widget Co.", ">1.3<", "Reviewed discovery",
                 "L310 / A104", "Billable", "Unbilled (WIP)"):
        assert text in row, text
    assert 'id="total-worked">1.3<' in html
    assert 'id="total-count">1<' in html


def test_each_filter_narrows_the_rows_and_the_totals(logged_in, firm, matter, partner, associate):
    other_matter = factories.make_matter(firm, number="BETA-002", name="Beta lease")
    a = entry(firm, matter, associate, on=date(2026, 3, 2), hours="1.0", narrative="Call with client")
    b = entry(firm, matter, partner, on=date(2026, 3, 5), hours="2.0", narrative="Drafted brief")
    c = entry(firm, other_matter, associate, on=date(2026, 3, 9), hours="0.5", narrative="Lease review call",
              charge_type=ChargeType.NO_CHARGE)
    d = entry(firm, other_matter, partner, on=date(2026, 2, 20), hours="3.0", narrative="Negotiation")
    mark_billed(d)

    cases = {
        "matter=acme-001": [b.pk, a.pk],
        f"timekeeper={associate.pk}": [c.pk, a.pk],
        "date_from=2026-03-03&date_to=2026-03-09": [c.pk, b.pk],
        "status=billed": [d.pk],
        "charge_type=no_charge": [c.pk],
        "q=CALL": [c.pk, a.pk],
        "matter=BETA-002&q=call&timekeeper=" + str(associate.pk): [c.pk],
    }
    for query, expected in cases.items():
        response = logged_in.get(f"/time/?{query}")
        assert response.status_code == 200
        assert row_ids(response) == expected, query

    response = logged_in.get("/time/?date_from=2026-03-01")
    html = response.content.decode()
    assert 'id="total-count">3<' in html
    assert 'id="total-worked">3.5<' in html
    assert 'id="total-billable">3.0<' in html  # c (0.5 h) is no-charge
    assert 'id="total-no-charge">0.5<' in html


def test_a_bad_filter_value_shows_an_error_and_no_rows_never_a_500(logged_in, firm, matter, associate):
    entry(firm, matter, associate)

    response = logged_in.get("/time/?date_from=yesterday&status=lost")

    assert response.status_code == 200
    assert row_ids(response) == []
    assert "Enter a valid date" in response.content.decode()


def test_pagination_shows_100_rows_a_page_and_totals_for_the_whole_set(logged_in, firm, matter, associate):
    for day in range(101):
        entry(firm, matter, associate, on=date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + day % 60),
              hours="0.1", narrative=f"Task {day}")

    first = logged_in.get("/time/?matter=ACME-001")
    second = logged_in.get("/time/?matter=ACME-001&page=2")

    assert len(row_ids(first)) == 100
    assert len(row_ids(second)) == 1
    assert set(row_ids(first)).isdisjoint(row_ids(second))
    html = first.content.decode()
    assert 'id="total-count">101<' in html
    assert 'id="total-worked">10.1<' in html
    assert "Page 1 of 2" in html
    assert "matter=ACME-001&amp;page=2" in html


def _queries_for_grid(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/time/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_grid_costs_the_same_queries_for_1_and_100_rows(logged_in, firm, matter, associate, partner):
    entry(firm, matter, associate)
    _queries_for_grid(logged_in)  # the first request of a session also stores the active firm in it
    one = _queries_for_grid(logged_in)
    other_matter = factories.make_matter(firm)
    for n in range(99):
        entry(firm, other_matter if n % 2 else matter, partner if n % 3 else associate, hours="0.2",
              narrative=f"Row {n}")

    hundred = _queries_for_grid(logged_in)

    assert hundred == one
    # session, user, memberships (middleware + nav), timekeepers (filter), totals, rows, timers,
    # timekeepers of the start-timer form (its matter is a type-ahead, no list); WIP money (groups,
    # matters, timekeepers, rates) and the page's rates.
    assert hundred <= 16


def test_billable_total_leaves_no_charge_hours_out_and_shows_them_apart(logged_in, firm, matter, associate):
    # Given 7.3 h billable and 1.5 h no-charge (issue #9 defect 2: shown as "Billable 8.8 h")
    entry(firm, matter, associate, on=date(2026, 3, 2), hours="7.3", narrative="Trial preparation")
    entry(firm, matter, associate, on=date(2026, 3, 3), hours="1.5", narrative="Courtesy call",
          charge_type=ChargeType.NO_CHARGE)

    # When the clerk opens the grid
    html = logged_in.get("/time/").content.decode()

    # Then worked counts everything, billable only the billable hours, and no-charge stands apart
    assert 'id="total-worked">8.8<' in html
    assert 'id="total-billable">7.3<' in html
    assert 'id="total-no-charge">1.5<' in html


def test_each_row_shows_its_rate_and_value_and_the_summary_the_wip_money(logged_in, firm, matter, associate,
                                                                          partner):
    from lexbill.rates.services import rate_create

    # Given a matter rate of 275.55 for JD from March (her standard rate is 300.00) and RA at his 500.00
    rate_create(firm=firm, actor=None, timekeeper=associate, matter=matter, effective_on=date(2026, 3, 1),
                rate_minor=27555)
    feb = entry(firm, matter, associate, on=date(2026, 2, 27), hours="1.0", narrative="Before the matter rate")
    odd = entry(firm, matter, associate, on=date(2026, 3, 2), hours="0.3", narrative="Half a cent")
    free = entry(firm, matter, partner, on=date(2026, 3, 3), hours="0.5", narrative="Courtesy",
                 charge_type=ChargeType.NO_CHARGE)
    billed = entry(firm, matter, partner, on=date(2026, 3, 4), hours="2.0", narrative="Billed already")
    mark_billed(billed)

    html = logged_in.get("/time/").content.decode()

    def cells(e):
        row = html[html.index(f'id="entry-{e.pk}"'):]
        row = row[:row.index("</tr>")]
        return re.search(r'class="num rate">([^<]*)<', row)[1], re.search(r'class="num value">([^<]*)<', row)[1]

    assert cells(feb) == ("300.00", "300.00")
    assert cells(odd) == ("275.55", "82.67")  # 0.3 x 275.55 = 82.665, rounded half-up once
    assert cells(free) == ("500.00", "0.00")
    # Then WIP counts unbilled billable time only: 300.00 + 82.67
    assert 'id="wip-hours">1.3<' in html
    assert '<strong class="wip-money">382.67 USD</strong>' in html


def test_wip_money_costs_the_same_queries_for_many_matters(logged_in, firm, associate):
    matters = [factories.make_matter(firm) for _ in range(3)]
    entry(firm, matters[0], associate)
    _queries_for_grid(logged_in)
    few = _queries_for_grid(logged_in)
    for m in matters:
        for day in range(1, 4):
            entry(firm, m, associate, on=date(2026, 2, day), hours="0.2", narrative=f"Work {day}")

    many = _queries_for_grid(logged_in)

    assert many == few
