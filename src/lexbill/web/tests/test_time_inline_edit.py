"""Inline edit of one grid row through htmx: the editor, a save, refusals shown inline, billed rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lexbill.core.models import AuditEvent
from lexbill.testing import factories

from .time_support import HX, entry, mark_billed, snapshot_entry


@pytest.fixture
def logged_in(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


@pytest.fixture
def given(firm, matter, associate):
    return entry(firm, matter, associate, on=date(2026, 3, 2), hours="1.0", narrative="Drafted motion",
                 task_code="L120", activity_code="A103")


def post_data(**changes):
    data = {"worked_on": "2026-03-02", "hours_worked": "1.0", "hours_billable": "1.0", "narrative": "Drafted motion",
            "task_code": "L120", "activity_code": "A103", "charge_type": "billable"}
    data.update(changes)
    return data


def test_the_editor_replaces_the_row_with_inputs_holding_its_values(logged_in, given):
    response = logged_in.get(f"/time/{given.pk}/edit/", **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="entry-{given.pk}" class="entry-row editing"')
    assert "<html" not in html
    assert '<textarea name="narrative"' in html and "Drafted motion</textarea>" in html
    assert 'name="hours_worked" value="1"' in html
    assert f'hx-post="/time/{given.pk}/edit/"' in html


def test_saving_rerenders_the_row_with_rounded_hours_and_audits_it(logged_in, given):
    response = logged_in.post(f"/time/{given.pk}/edit/",
                              post_data(hours_worked="1.25", hours_billable="0.81", narrative="Drafted and filed motion"),
                              **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="entry-row"' in html and "editing" not in html
    assert "Drafted and filed motion" in html and ">1.3<" in html and ">0.9<" in html
    given.refresh_from_db()
    assert (given.hours_worked, given.hours_billable, given.narrative) == (
        Decimal("1.3"), Decimal("0.9"), "Drafted and filed motion")
    event = AuditEvent.objects.filter(action="time.update", entity_id=str(given.pk)).get()
    assert event.before == {"hours_worked": "1", "hours_billable": "1", "narrative": "Drafted motion"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"task_code": "ZZ9"}, "&#x27;ZZ9&#x27; is not a UTBMS task code"),
    ({"narrative": "   "}, "This field is required."),
    ({"hours_worked": "abc"}, "Enter a number."),
    ({"hours_billable": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"worked_on": "2099-01-01"}, "2099-01-01 is in the future"),
])
def test_a_refusal_keeps_the_editor_open_with_the_error_and_changes_nothing(logged_in, given, changes, message):
    before = snapshot_entry(given)

    response = logged_in.post(f"/time/{given.pk}/edit/", post_data(**changes), **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "entry-row editing" in html
    assert message in html
    for value in changes.values():
        assert value.strip() in html  # what was typed is still there
    assert snapshot_entry(given) == before


def test_a_billed_entry_cannot_be_edited(logged_in, given):
    mark_billed(given)
    before = snapshot_entry(given)

    opened = logged_in.get(f"/time/{given.pk}/edit/", **HX)
    saved = logged_in.post(f"/time/{given.pk}/edit/", post_data(narrative="Changed after billing"), **HX)
    plain = logged_in.post(f"/time/{given.pk}/edit/", post_data(narrative="Changed after billing"))

    assert "editing" not in opened.content.decode()
    assert "is billed and can no longer be edited here" in opened.content.decode()
    assert "is billed and can no longer be edited here" in saved.content.decode()
    assert plain.status_code == 409
    assert snapshot_entry(given) == before


def test_the_row_view_is_what_cancel_swaps_back_in(logged_in, given):
    response = logged_in.get(f"/time/{given.pk}/row/", **HX)

    assert response.status_code == 200
    assert f'hx-get="/time/{given.pk}/edit/" hx-trigger="lexbill:edit"' in response.content.decode()


def test_without_htmx_the_editor_is_a_page_and_a_save_returns_to_the_grid(logged_in, given):
    page = logged_in.get(f"/time/{given.pk}/edit/")
    saved = logged_in.post(f"/time/{given.pk}/edit/", post_data(narrative="Edited without JS", next="/time/?q=x"))

    assert page.status_code == 200 and "<html" in page.content.decode()
    assert saved.status_code == 302 and saved["Location"] == "/time/?q=x"
    given.refresh_from_db()
    assert given.narrative == "Edited without JS"


def test_an_offsite_next_is_ignored(logged_in, given):
    saved = logged_in.post(f"/time/{given.pk}/edit/", post_data(next="https://evil.example/"))

    assert saved["Location"] == "/time/"


def test_a_saved_row_brings_the_grids_new_totals_for_the_grids_filter(logged_in, firm, matter, associate, given):
    # Given a second entry on another matter, and the grid filtered to ACME-001 (1.0 h billable)
    other = factories.make_matter(firm, number="BETA-002", name="Beta lease")
    entry(firm, other, associate, on=date(2026, 3, 3), hours="4.0", narrative="Lease review")

    # When the row is marked no-charge with 1.5 h inline, from that filtered grid
    response = logged_in.post(f"/time/{given.pk}/edit/",
                              post_data(hours_worked="1.5", hours_billable="1.5", charge_type="no_charge"),
                              HTTP_HX_CURRENT_URL="http://testserver/time/?matter=ACME-001", **HX)

    # Then the response swaps in the row and, out of band, the filtered grid's totals
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="entry-{given.pk}" class="entry-row"')
    assert '<template><div class="grid-summary" id="grid-summary" hx-swap-oob="true">' in html
    assert 'id="total-count">1<' in html
    assert 'id="total-worked">1.5<' in html
    assert 'id="total-billable">0.0<' in html
    assert 'id="total-no-charge">1.5<' in html
