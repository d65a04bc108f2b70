"""Each per-line action of the review page, through the page, with exact amounts (htmx fragments)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from lexbill.billing.models import PreBillQuery
from lexbill.testing import factories
from lexbill.timekeeping.models import EntryStatus

from .review_support import HX, acme_prebill, figures, line_url, lines_of, login


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "billing")
    return http


@pytest.fixture
def prebill(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    return acme_prebill(firm, matter, partner, associate)


def test_write_down_a_line_by_ten_percent_updates_row_and_totals(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    # When the clerk writes JD's 600.00 line down by 10 %
    response = clerk.post(line_url(prebill, jd, "write"), {"mode": "percent", "direction": "down", "value": "10"},
                          **HX)
    # Then the line is 600.00 - 60.00 = 540.00, and the totals block (out of band) shows the new subtotal
    assert response.status_code == 200
    jd.refresh_from_db()
    assert (jd.base_minor, jd.adjustment_minor, jd.total_minor) == (60000, -6000, 54000)
    html = response.content.decode()
    assert f'<tr id="line-{jd.pk}" class="prebill-line kind-fee" hx-swap-oob="true">' in html
    assert '<td class="num adjustment">-60.00</td>' in html
    assert '<td class="num total">540.00</td>' in html
    assert 'id="prebill-totals" class="prebill-totals card" hx-swap-oob="true"' in html
    assert '<dd class="num" id="total-adjustments">-60.00</dd>' in html
    assert '<strong>1,335.00</strong>' in html
    # And the edit is in the history shown with it, in people's words (issue #9)
    assert f'<td class="change">Wrote line {jd.pk} down 10 % (−60.00)</td>' in html
    assert "line_write_percent" not in html and "adjustment_minor" not in html


def test_write_up_by_amount_and_bill_other_hours(clerk, prebill):  # type: ignore[no-untyped-def]
    jd, ra, _courier = lines_of(prebill)
    clerk.post(line_url(prebill, jd, "write"), {"mode": "amount", "direction": "up", "value": "50.00"}, **HX)
    response = clerk.post(line_url(prebill, ra, "write"), {"mode": "hours", "value": "1.2"}, **HX)
    jd.refresh_from_db()
    ra.refresh_from_db()
    assert (jd.adjustment_minor, jd.total_minor) == (5000, 65000)
    # RA billed 1.2 h x 500.00 = 600.00 (worked stays 1.5)
    assert (ra.hours_worked, ra.hours_billed, ra.base_minor, ra.total_minor) == (
        Decimal("1.5"), Decimal("1.2"), 60000, 60000)
    # 650.00 + 600.00 + 45.00
    assert '<strong>1,295.00</strong>' in response.content.decode()


def test_no_charge_and_back(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    response = clerk.post(line_url(prebill, jd, "no-charge"), {"is_no_charge": "1"}, **HX)
    jd.refresh_from_db()
    assert (jd.is_no_charge, jd.base_minor, jd.total_minor) == (True, 0, 0)
    assert '<strong>795.00</strong>' in response.content.decode()
    clerk.post(line_url(prebill, jd, "no-charge"), {"is_no_charge": "0"}, **HX)
    jd.refresh_from_db()
    assert (jd.is_no_charge, jd.base_minor, jd.total_minor) == (False, 60000, 60000)


def test_edit_narrative(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    response = clerk.post(line_url(prebill, jd, "narrative"), {"narrative": "Drafted motion to dismiss"}, **HX)
    jd.refresh_from_db()
    assert jd.narrative == "Drafted motion to dismiss"
    assert f"Changed the narrative of line {jd.pk} to “Drafted motion to dismiss”" in response.content.decode()


def test_code_a_line_with_the_code_pickers(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    page = clerk.get(f"/prebills/{prebill.pk}/").content.decode()
    assert f'data-picker-field="task_code" data-picker-matter="line-{jd.pk}-matter"' in page
    response = clerk.post(line_url(prebill, jd, "codes"), {"task_code": "l190", "activity_code": "A103"}, **HX)
    jd.refresh_from_db()
    assert (jd.task_code, jd.activity_code) == ("L190", "A103")
    assert f"Coded line {jd.pk}: task L190 instead of L120, activity A103 instead of A104" in response.content.decode()
    refused = clerk.post(line_url(prebill, jd, "codes"), {"task_code": "A103"}, **HX)
    jd.refresh_from_db()
    assert "A103 is an activity code, not a task code" in refused.content.decode() and jd.task_code == "L190"


def test_move_a_line_to_another_matter(firm, clerk, prebill, client_acme, partner):  # type: ignore[no-untyped-def]
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    jd = lines_of(prebill)[0]
    response = clerk.post(line_url(prebill, jd, "move"), {"matter": "acme-002"}, **HX)
    jd.refresh_from_db()
    assert jd.is_current is False
    assert (jd.time_entry.matter.number, jd.time_entry.status) == ("ACME-002", EntryStatus.OPEN)
    html = response.content.decode()
    assert f'<tr id="line-{jd.pk}" class="prebill-line line-gone" hx-swap-oob="true">' in html
    assert f"Line {jd.pk} moved to ACME-002." in html
    assert "moved to ACME-002</td>" in html  # the lines-that-left section
    assert '<strong>795.00</strong>' in html  # 750.00 + 45.00


def test_hold_a_line(clerk, prebill):  # type: ignore[no-untyped-def]
    courier = lines_of(prebill)[2]
    response = clerk.post(line_url(prebill, courier, "hold"), **HX)
    courier.refresh_from_db()
    assert (courier.is_current, courier.is_held, courier.expense.status) == (False, True, EntryStatus.OPEN)
    html = response.content.decode()
    assert f'id="held-{courier.pk}"' in html
    assert '<strong>1,350.00</strong>' in html


def test_ask_a_query_on_a_line(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    response = clerk.post(line_url(prebill, jd, "query"), {"question": "Is 2.0 h right for this?"}, **HX)
    query = PreBillQuery.objects.get()
    assert (query.line_id, query.question, query.answered_at) == (jd.pk, "Is 2.0 h right for this?", None)
    assert 'id="prebill-queries" hx-swap-oob="true"' in response.content.decode()
    assert "Is 2.0 h right for this?" in response.content.decode()


def test_without_htmx_an_action_redirects_with_a_message(clerk, prebill):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    response = clerk.post(line_url(prebill, jd, "write"), {"mode": "percent", "direction": "down", "value": "10"},
                          follow=True)
    assert response.redirect_chain == [(f"/prebills/{prebill.pk}/", 302)]
    assert f"Line {jd.pk}: written down." in response.content.decode()


# --- refusals: an error next to the line, nothing changed -------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"mode": "percent", "direction": "down", "value": "150"}, "cannot write down more than 100 %"),
    ({"mode": "percent", "direction": "down", "value": "ten"}, "Value: Enter a number."),
    ({"mode": "amount", "direction": "down", "value": "700.00"}, "would take line"),
    ({"mode": "amount", "direction": "down", "value": "1.005"}, "USD amounts have at most 2 decimals."),
    # main's Decimal field read "1e2" as 100.00 and wrote the line down by it.
    ({"mode": "amount", "direction": "down", "value": "1e2"}, "write USD amounts like 1234.50: digits and a point"),
])
def test_bad_write_shows_the_error_in_the_row(clerk, prebill, data, message):  # type: ignore[no-untyped-def]
    jd = lines_of(prebill)[0]
    before = figures(prebill)
    response = clerk.post(line_url(prebill, jd, "write"), data, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="errors row-error" role="alert">' in html
    assert message in html
    assert figures(prebill) == before


def test_an_approved_prebill_refuses_edits(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login(http, firm, "billing")
    prebill = acme_prebill(firm, matter, partner, associate, status="approved")
    jd = lines_of(prebill)[0]
    before = figures(prebill)
    response = http.post(line_url(prebill, jd, "write"), {"mode": "percent", "direction": "down", "value": "10"},
                         **HX)
    assert (f"pre-bill {prebill.pk} is approved: only a draft or a pre-bill in review can be changed"
            in response.content.decode())
    assert figures(prebill) == before


def test_moving_to_another_firms_matter_is_no_such_matter(clerk, prebill, other_firm):  # type: ignore[no-untyped-def]
    from .records_support import other_firm_rows

    other = other_firm_rows(other_firm)
    jd = lines_of(prebill)[0]
    before = figures(prebill)
    response = clerk.post(line_url(prebill, jd, "move"), {"matter": other.matter.number}, **HX)
    assert "no matter numbered OTHER-1" in response.content.decode()
    assert figures(prebill) == before
    jd.refresh_from_db()
    assert (jd.time_entry.matter_id, jd.time_entry.status) == (prebill.matter_id, EntryStatus.ON_PREBILL)
