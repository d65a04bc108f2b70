"""The matter's fee schedule page: add, edit, mark reached, delete fee items; record and delete recoveries."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_scopes import scopes_disabled

from lexbill.billing.models import FeeItem, Recovery
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.fees import fee_item_create, milestone_reach, recovery_create
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories

from .records_support import audit_count, login_as


@pytest.fixture
def flat(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-FLAT",
                                 fee_arrangement="flat", fee_amount_minor=2_000_000)


@pytest.fixture
def contingency(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-CONT",
                                 fee_arrangement="contingency", fee_percent_bp=3333)


@pytest.fixture
def billing_web(firm):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login_as(http, firm, "billing")
    return http


def test_the_matter_page_links_to_the_schedule_for_flat_matters_only(billing_web, flat, matter):
    assert f'href="/matters/{flat.pk}/fees/"' in billing_web.get(f"/matters/{flat.pk}/").content.decode()
    assert "/fees/" not in billing_web.get(f"/matters/{matter.pk}/").content.decode()


def test_add_a_milestone_then_mark_it_reached(billing_web, flat):
    response = billing_web.post(f"/matters/{flat.pk}/fees/items/add/", {
        "description": "Summary judgment", "amount": "12500.50", "kind": "milestone", "task_code": "l200"})
    assert response.status_code == 302
    item = FeeItem.objects.get()
    assert (item.amount_minor, item.due_on, item.task_code, item.is_milestone_reached) == (1_250_050, None, "L200",
                                                                                        False)

    billing_web.post(f"/fee-items/{item.pk}/reached/")

    assert FeeItem.objects.get().is_milestone_reached is True
    page = billing_web.get(f"/matters/{flat.pk}/fees/").content.decode()
    assert "milestone reached" in page and "12,500.50" in page


def test_a_bad_form_keeps_the_input_and_writes_nothing(billing_web, flat):
    events = audit_count()
    response = billing_web.post(f"/matters/{flat.pk}/fees/items/add/", {
        "description": "Stage 1", "amount": "100.005", "kind": "scheduled", "due_on": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "USD amounts have at most 2 decimals" in page
    assert "Enter the date it is billable from" in page
    assert 'value="Stage 1"' in page
    assert (FeeItem.objects.count(), audit_count()) == (0, events)


def test_a_service_refusal_is_shown_on_the_field(billing_web, matter):
    response = billing_web.post(f"/matters/{matter.pk}/fees/items/add/", {
        "description": "Phase", "amount": "10", "kind": "milestone", "task_code": "L100"})
    assert response.status_code == 400
    assert "a phase (task code) makes sense only on a flat-fee matter" in response.content.decode()
    assert FeeItem.objects.count() == 0


def test_edit_a_scheduled_item(billing_web, firm, flat):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000,
                           due_on=date(2026, 5, 1), actor=None)
    assert 'value="1000.00"' in billing_web.get(f"/fee-items/{item.pk}/edit/").content.decode()

    response = billing_web.post(f"/fee-items/{item.pk}/edit/", {
        "description": "Stage 1", "amount": "1500", "kind": "scheduled", "due_on": "2026-06-01", "task_code": ""})

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.amount_minor, item.due_on) == (150_000, date(2026, 6, 1))


def test_a_billed_item_cannot_be_edited_or_deleted_from_the_page(billing_web, firm, flat):
    item = fee_item_create(firm=firm, matter=flat, description="Closing", amount_minor=500_000, actor=None)
    milestone_reach(fee_item=item, actor=None)
    run = billrun_run(firm=firm, through_on=date(2026, 3, 31), actor=None, matters=[flat])
    events = audit_count()

    edit = billing_web.post(f"/fee-items/{item.pk}/edit/", {
        "description": "Closing", "amount": "1", "kind": "milestone", "task_code": ""})
    delete = billing_web.post(f"/fee-items/{item.pk}/delete/", follow=True)

    prebill = run.prebills.get()
    assert edit.status_code == 400
    assert f"fee item {item.pk} is on pre-bill {prebill.pk}: it can no longer be changed" in edit.content.decode()
    assert f"fee item {item.pk} is on pre-bill {prebill.pk}" in delete.content.decode()
    item.refresh_from_db()
    assert (item.amount_minor, audit_count()) == (500_000, events)
    page = billing_web.get(f"/matters/{flat.pk}/fees/").content.decode()
    assert f"on pre-bill {prebill.pk}" in page and f"/fee-items/{item.pk}/delete/" not in page


def test_record_and_delete_a_recovery(billing_web, contingency):
    today = timezone.localdate()
    response = billing_web.post(f"/matters/{contingency.pk}/fees/recoveries/add/", {
        "amount": "100000.00", "received_on": today.isoformat(), "description": "Settlement"})
    assert response.status_code == 302
    recovery = Recovery.objects.get()
    assert (recovery.amount_minor, recovery.received_on) == (10_000_000, today)
    assert "33,330.00" in billing_web.get(f"/matters/{contingency.pk}/fees/").content.decode()

    billing_web.post(f"/recoveries/{recovery.pk}/delete/")

    assert Recovery.objects.count() == 0


def test_a_recovery_in_the_future_is_refused(billing_web, contingency):
    response = billing_web.post(f"/matters/{contingency.pk}/fees/recoveries/add/", {
        "amount": "10", "received_on": "2999-01-01"})
    assert response.status_code == 400
    assert "2999-01-01 is in the future" in response.content.decode()
    assert Recovery.objects.count() == 0


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_attorney_and_accounting_read_but_cannot_change(firm, flat, role):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000, actor=None)
    http = HttpClient()
    login_as(http, firm, role)

    page = http.get(f"/matters/{flat.pk}/fees/")

    assert page.status_code == 200 and "Stage 1" in page.content.decode()
    assert "Add a fee item" not in page.content.decode()
    assert http.post(f"/fee-items/{item.pk}/reached/").status_code == 403
    assert http.post(f"/fee-items/{item.pk}/delete/").status_code == 403
    assert http.post(f"/matters/{flat.pk}/fees/items/add/", {"description": "x", "amount": "1",
                                                            "kind": "milestone"}).status_code == 403
    assert FeeItem.objects.get().is_milestone_reached is False


def test_a_client_user_gets_404(firm, flat):
    http = HttpClient()
    login_as(http, firm, "client")
    assert http.get(f"/matters/{flat.pk}/fees/").status_code == 404


def test_another_firms_items_and_recoveries_are_404(billing_web, other_firm):
    with firm_scope(other_firm):
        matter = factories.make_matter(other_firm, fee_arrangement="contingency", fee_percent_bp=2500)
        item = fee_item_create(firm=other_firm, matter=matter, description="Theirs", amount_minor=1, actor=None)
        recovery = recovery_create(firm=other_firm, matter=matter, amount_minor=5, received_on=date(2026, 1, 2),
                                   actor=None, today=date(2026, 1, 2))
    for url in (f"/matters/{matter.pk}/fees/", f"/fee-items/{item.pk}/edit/"):
        assert billing_web.get(url).status_code == 404
    for url in (f"/fee-items/{item.pk}/reached/", f"/fee-items/{item.pk}/delete/",
                f"/recoveries/{recovery.pk}/delete/", f"/matters/{matter.pk}/fees/recoveries/add/"):
        assert billing_web.post(url, {"amount": "1", "received_on": "2026-01-01"}).status_code == 404
    with scopes_disabled():
        assert FeeItem.objects.get(pk=item.pk).is_milestone_reached is False
        assert Recovery.objects.filter(pk=recovery.pk).exists()
