"""Who may see and launch bill runs: admin/billing launch; attorney and accounting only look; client 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.billing.models import BillRun, BillRunStatus

from .records_support import login_as


@pytest.fixture
def run(firm):
    return BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status=BillRunStatus.DONE)


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_read_only_roles_see_runs_but_cannot_launch(client, firm, run, role):
    login_as(client, firm, role)

    page = client.get(reverse("billrun_list"))
    launched = client.post(reverse("billrun_launch"), {"through_on": "2026-03-31"})

    assert page.status_code == 200 and "Start bill run" not in page.content.decode()
    assert client.get(reverse("billrun_detail", args=[run.pk])).status_code == 200
    assert launched.status_code == 403
    assert BillRun.objects.count() == 1


def test_admin_sees_the_launch_form(client, firm):
    login_as(client, firm, "admin")

    assert "Start bill run" in client.get(reverse("billrun_list")).content.decode()


def test_a_client_user_gets_404_everywhere(client, firm, run):
    login_as(client, firm, "client")

    for url in (reverse("billrun_list"), reverse("billrun_detail", args=[run.pk]),
                reverse("billrun_progress", args=[run.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("billrun_launch"), {"through_on": "2026-03-31"}).status_code == 404
    assert BillRun.objects.count() == 1


def test_another_firms_run_is_not_found(client, firm, other_firm):
    login_as(client, firm, "admin")
    with scopes_disabled():
        foreign = BillRun.objects.create(firm=other_firm, through_on=date(2026, 3, 31))

    assert client.get(reverse("billrun_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("billrun_progress", args=[foreign.pk])).status_code == 404
    assert f"#{foreign.pk}" not in client.get(reverse("billrun_list")).content.decode()


def test_anonymous_is_sent_to_log_in(client, run):
    response = client.get(reverse("billrun_detail", args=[run.pk]))

    assert response.status_code == 302 and response["Location"].startswith("/login/")
