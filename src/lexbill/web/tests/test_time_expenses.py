"""Expenses: exact amounts from quantity x unit cost, the list with filters and totals, edit and delete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.core.models import AuditEvent
from lexbill.testing import factories
from lexbill.timekeeping.models import ChargeType, CostType, Expense

from .time_support import expense, mark_billed


@pytest.fixture
def logged_in(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


def form_data(the_matter, **changes):
    data = {"matter": the_matter.pk, "incurred_on": "2026-03-02", "expense_code": "e101",
            "description": "Photocopies", "quantity": "3", "unit_cost": "0.15", "cost_type": "soft"}
    data.update(changes)
    return data


def test_three_copies_at_fifteen_cents_are_exactly_45_cents(logged_in, matter):
    response = logged_in.post("/expenses/new/", form_data(matter), follow=True)

    created = Expense.objects.get()
    assert (created.quantity, created.unit_cost_minor, created.amount_minor, created.expense_code,
            created.cost_type, created.charge_type) == (Decimal(3), 15, 45, "E101", CostType.SOFT, ChargeType.BILLABLE)
    assert [str(m) for m in response.context["messages"]] == ["Expense recorded: Photocopies — 0.45 USD."]
    assert '<td class="num amount">0.45 USD</td>' in response.content.decode()


def test_fractional_quantities_round_half_up_once(logged_in, matter):
    logged_in.post("/expenses/new/", form_data(matter, quantity="2.5", unit_cost="0.25", no_charge="on"))

    created = Expense.objects.get()
    assert (created.amount_minor, created.charge_type) == (63, ChargeType.NO_CHARGE)  # 62.5 cents -> 63


@pytest.mark.parametrize(("changes", "message"), [
    ({"unit_cost": "0.155"}, "USD amounts have at most 2 decimals."),
    ({"unit_cost": "-1"}, "-1 is negative: the amount must be zero or more"),
    ({"unit_cost": "0.00"}, "an expense must be more than 0 (quantity x unit cost is 0.00 USD)"),
    ({"unit_cost": "1e2"}, "write USD amounts like 1234.50: digits and a point, no separators"),
    ({"incurred_on": "2025-12-31"}, "2025-12-31 is before matter ACME-001 opened (2026-01-01)"),
    ({"quantity": "0"}, "Ensure this value is greater than or equal to 0.001."),
    ({"description": ""}, "This field is required."),
    ({"expense_code": "X1"}, "is not a UTBMS expense code"),
    ({"incurred_on": "2099-01-01"}, "2099-01-01 is in the future"),
])
def test_a_refused_expense_keeps_the_input_and_records_nothing(logged_in, matter, changes, message):
    response = logged_in.post("/expenses/new/", form_data(matter, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    for value in changes.values():
        assert f'value="{value}"' in html or value == ""
    assert not Expense.objects.exists()


def test_the_list_filters_and_totals_exactly(logged_in, firm, matter):
    other = factories.make_matter(firm, number="BETA-002")
    expense(firm, matter, quantity="3", unit_cost_minor=15, description="Copies", cost_type="soft")
    expense(firm, matter, quantity="1", unit_cost_minor=1200, description="Courier to court")
    expense(firm, other, quantity="2", unit_cost_minor=4550, description="Filing fee", on=date(2026, 2, 1))

    everything = logged_in.get("/expenses/").content.decode()
    soft = logged_in.get("/expenses/?cost_type=soft").content.decode()
    acme_march = logged_in.get("/expenses/?matter=acme-001&date_from=2026-03-01&q=COURIER").content.decode()

    assert 'id="expense-count">3<' in everything and '<strong class="expense-total">103.45 USD</strong>' in everything
    assert 'id="expense-count">1<' in soft and '<strong class="expense-total">0.45 USD</strong>' in soft
    assert 'id="expense-count">1<' in acme_march and "Courier to court" in acme_march
    assert '<strong class="expense-total">12.00 USD</strong>' in acme_march


def test_the_list_costs_the_same_queries_for_1_and_50_expenses(logged_in, firm, matter):
    expense(firm, matter)
    logged_in.get("/expenses/")
    with CaptureQueriesContext(connection) as one:
        logged_in.get("/expenses/")
    for n in range(49):
        expense(firm, matter, description=f"Item {n}")
    with CaptureQueriesContext(connection) as fifty:
        response = logged_in.get("/expenses/")

    assert response.content.decode().count('<tr id="expense-') == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


def test_editing_recomputes_the_amount_and_audits(logged_in, matter):
    given = expense(matter.firm, matter, quantity="3", unit_cost_minor=15, description="Copies")

    page = logged_in.get(f"/expenses/{given.pk}/edit/").content.decode()
    response = logged_in.post(f"/expenses/{given.pk}/edit/", form_data(matter, quantity="4", description="Copies"))

    assert 'value="0.15"' in page and 'value="3"' in page
    assert response.status_code == 302
    given.refresh_from_db()
    assert (given.quantity, given.amount_minor) == (Decimal(4), 60)
    event = AuditEvent.objects.filter(action="expense.update", entity_id=str(given.pk)).get()
    assert event.after["amount_minor"] == 60


def test_deleting_asks_first_then_removes_it(logged_in, matter):
    given = expense(matter.firm, matter, quantity="3", unit_cost_minor=15, description="Copies")

    confirm = logged_in.get(f"/expenses/{given.pk}/delete/")
    assert Expense.objects.filter(pk=given.pk).exists()
    assert "0.45 USD" in confirm.content.decode()

    response = logged_in.post(f"/expenses/{given.pk}/delete/")

    assert response.status_code == 302
    assert not Expense.objects.filter(pk=given.pk).exists()
    assert AuditEvent.objects.filter(action="expense.delete", entity_id=str(given.pk)).count() == 1


def test_a_billed_expense_can_be_neither_edited_nor_deleted(logged_in, matter):
    given = expense(matter.firm, matter, quantity="3", unit_cost_minor=15)
    mark_billed(given)

    edit = logged_in.post(f"/expenses/{given.pk}/edit/", form_data(matter, quantity="10"))
    delete = logged_in.post(f"/expenses/{given.pk}/delete/")
    listing = logged_in.get("/expenses/").content.decode()

    assert (edit.status_code, delete.status_code) == (409, 409)
    given.refresh_from_db()
    assert (given.quantity, given.amount_minor) == (Decimal(3), 45)
    assert f"/expenses/{given.pk}/edit/" not in listing
