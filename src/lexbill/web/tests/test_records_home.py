"""The home dashboard and the firm switcher: each firm's figures, only for its members."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from lexbill.core.services import user_add
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import ChargeType, TimeEntry
from lexbill.timekeeping.services import time_entry_create

from .records_support import record_time


def test_the_dashboard_counts_the_firms_records_and_this_months_unbilled_hours(client, firm, admin_user, matter,
                                                                               partner, associate, other_firm):
    today = timezone.localdate()
    first = today.replace(day=1)
    record_time(firm, matter, associate, first, "1.5")
    record_time(firm, matter, partner, today, "0.7")
    record_time(firm, matter, partner, first - timedelta(days=1), "8.0")  # last month
    billed = record_time(firm, matter, partner, today, "2.0")
    TimeEntry.objects.filter(pk=billed.pk).update(status="billed")  # no billing service yet: mark it by hand
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=partner, worked_on=today,
                      duration=Duration(hours=Decimal("3")), narrative="Internal", today=today,
                      charge_type=ChargeType.NON_BILLABLE)
    factories.make_matter(firm, client=matter.client, billing_attorney=partner, status="closed", closed_on=today)
    factories.make_client(firm, is_active=False)
    with firm_scope(other_firm):
        factories.make_matter(other_firm)
    client.force_login(admin_user)
    client.get(reverse("home"))

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))

    assert response.context["stats"]["open_matters"] == 1
    assert response.context["stats"]["clients"] == 1
    assert response.context["stats"]["timekeepers"] == 2
    assert response.context["stats"]["unbilled_hours"] == Decimal("2.2")
    assert sum("timekeeping_timeentry" in q["sql"] for q in ctx.captured_queries) == 1
    body = response.content.decode()
    assert '<span class="stat-value" id="stat-unbilled-hours">2.2</span>' in body
    for name in ("client_list", "matter_list", "timekeeper_list", "rate_list"):
        assert f'href="{reverse(name)}"' in body


def test_a_client_role_user_sees_no_firm_figures(client, firm, matter):
    user = factories.make_user(firm, email="portal@acme.example", role="client")
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["stats"] is None
    assert "Open matters" not in response.content.decode()


@pytest.fixture
def second_firm(db):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return factories.make_firm("Zephyr Legal", slug="zephyr")


def test_a_member_of_two_firms_sees_each_firms_data_after_switching(client, firm, admin_user, matter, second_firm):
    user_add(firm=second_firm, email=admin_user.email, role="billing")
    with firm_scope(second_firm):
        zephyr_matter = factories.make_matter(second_firm, number="ZEP-9", name="Zephyr appeal")
    client.force_login(admin_user)

    first = client.get(reverse("matter_list")).content.decode()
    assert "ACME-001" in first and "ZEP-9" not in first
    assert client.get(reverse("matter_detail", args=[zephyr_matter.pk])).status_code == 404

    switched = client.post(reverse("firm_switch"), {"firm": "zephyr"})

    assert switched["Location"] == reverse("home")
    second = client.get(reverse("matter_list")).content.decode()
    assert "ZEP-9" in second and "ACME-001" not in second
    assert client.get(reverse("matter_detail", args=[zephyr_matter.pk])).status_code == 200
    assert client.get(reverse("matter_detail", args=[matter.pk])).status_code == 404
    assert client.get(reverse("home")).context["stats"]["open_matters"] == 1
    assert client.get(reverse("home")).context["active_role"] == "billing"


def test_a_user_cannot_switch_to_a_firm_they_are_not_in(client, firm, admin_user, matter, second_firm):
    with firm_scope(second_firm):
        factories.make_matter(second_firm, number="ZEP-9")
    client.force_login(admin_user)
    client.get(reverse("home"))

    response = client.post(reverse("firm_switch"), {"firm": "zephyr"}, follow=True)

    assert "You are not a member of that firm." in response.content.decode()
    body = client.get(reverse("matter_list")).content.decode()
    assert "ACME-001" in body and "ZEP-9" not in body
