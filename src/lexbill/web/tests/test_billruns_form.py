"""The bill-run form (issue #9 defect 10 and layout): GET /billruns/new/ shows it, its cut-off defaults to the
end of last month in the firm's zone, and a run's page links its pre-bills and names their clients; the
favicon is served."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from lexbill.billing.models import BillRun, BillRunStatus
from lexbill.testing.billing import make_prebill
from lexbill.web.forms_invoices import BillRunForm

from .records_support import login_as


@pytest.fixture
def clerk(client, firm):  # type: ignore[no-untyped-def]
    login_as(client, firm, "billing")
    return client


def test_get_billruns_new_shows_the_bill_run_form(clerk):  # type: ignore[no-untyped-def]
    response = clerk.get(reverse("billrun_launch"))

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<form method="post" action="{reverse("billrun_launch")}"' in body
    assert 'name="through_on"' in body and "Start bill run" in body


def test_an_accountant_may_not_open_the_bill_run_form(client, firm):  # type: ignore[no-untyped-def]
    login_as(client, firm, "accounting")

    assert client.get(reverse("billrun_launch")).status_code == 403


@pytest.mark.parametrize(("today", "through"), [
    (date(2026, 3, 1), date(2026, 2, 28)), (date(2024, 3, 31), date(2024, 2, 29)), (date(2026, 1, 10), date(2025, 12, 31)),
])
def test_the_default_cut_off_is_the_end_of_last_month(today, through):  # type: ignore[no-untyped-def]
    assert BillRunForm.default_through(today) == through


def test_the_form_proposes_the_end_of_last_month_in_the_firms_zone(clerk, firm):  # type: ignore[no-untyped-def]
    # Kiritimati is UTC+14: on the first of a month there, UTC may still be in the month before
    firm.timezone = "Pacific/Kiritimati"
    firm.save(update_fields=["timezone"])
    today_there = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()

    body = clerk.get(reverse("billrun_list")).content.decode()

    expected = today_there.replace(day=1) - timedelta(days=1)
    assert f'name="through_on" value="{expected.isoformat()}"' in body


def test_a_runs_page_links_its_prebills_and_names_their_clients(clerk, firm, matter, partner):  # type: ignore[no-untyped-def]
    run = BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status=BillRunStatus.DONE,
                                 total_matters=1, done_matters=1, prebills_created=1)
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft motion")], bill_run=run)

    body = clerk.get(reverse("billrun_detail", args=[run.pk])).content.decode()

    assert f'<a href="{reverse("prebill_review", args=[prebill.pk])}">Pre-bill #{prebill.pk}</a>' in body
    assert "Acme Corp" in body and "ACME-001 Acme v. Widget Co." in body


def test_favicon_ico_leads_to_the_icon(client, db):  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]


def test_every_page_links_the_icon(clerk):  # type: ignore[no-untyped-def]
    body = clerk.get(reverse("home")).content.decode()

    assert '<link rel="icon" href="/static/lexbill/favicon.svg" type="image/svg+xml">' in body
