"""/expenses: quantity x unit cost rounded once; amounts in the matter's currency."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.timekeeping.models import EntryStatus, Expense
from lexbill.timekeeping.services import expense_create

pytestmark = pytest.mark.django_db


def test_create_get_patch_delete_expense(api, matter, associate):
    created = api.post("/expenses/", {"matter": "ACME-001", "timekeeper": "JD", "incurred_on": "2026-02-04",
                                      "expense_code": "e101", "description": "Copies", "quantity": "3.5",
                                      "unit_cost": "0.15", "cost_type": "soft"})

    assert created.status_code == 201
    expense = Expense.objects.get()
    expected = {"id": expense.pk, "matter": "ACME-001", "matter_id": matter.pk, "timekeeper": "JD",
                "timekeeper_id": associate.pk, "incurred_on": "2026-02-04", "expense_code": "E101",
                "description": "Copies", "quantity": "3.5", "unit_cost": "0.15", "amount": "0.53",
                "currency": "USD", "cost_type": "soft", "charge_type": "billable", "status": "open"}
    assert created.json() == expected
    assert (expense.unit_cost_minor, expense.amount_minor) == (15, 53)
    assert api.get(f"/expenses/{expense.pk}").json() == expected

    patched = api.patch(f"/expenses/{expense.pk}", {"quantity": "10", "timekeeper": None})
    assert patched.json() == {**expected, "quantity": "10", "amount": "1.50", "timekeeper": None,
                              "timekeeper_id": None}

    assert api.delete(f"/expenses/{expense.pk}").status_code == 204
    assert not Expense.objects.exists()


@pytest.mark.parametrize("body,field", [
    ({"unit_cost": "1.005"}, "unit_cost"),
    ({"quantity": "0"}, "quantity"),
    ({"description": " "}, "description"),
    ({"expense_code": "X1"}, "expense_code"),
    ({"incurred_on": "2999-01-01"}, "incurred_on"),
])
def test_bad_expenses_are_422_and_write_nothing(api, matter, body, field):
    base = {"matter": "ACME-001", "incurred_on": "2026-02-04", "description": "Courier", "unit_cost": "25.00"}

    response = api.post("/expenses/", {**base, **body})

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Expense.objects.exists()


def test_overflowing_amount_is_422(api, matter):
    response = api.post("/expenses/", {"matter": "ACME-001", "incurred_on": "2026-02-04", "description": "Gold",
                                       "quantity": "999999.999", "unit_cost": "999999999999.999"})

    assert response.status_code == 422
    assert not Expense.objects.exists()


def test_billed_expense_cannot_be_deleted(api, firm, matter):
    expense = expense_create(firm=firm, actor=None, matter=matter, incurred_on=date(2026, 2, 4),
                             description="Courier", unit_cost_minor=2500)
    Expense.objects.filter(pk=expense.pk).update(status=EntryStatus.BILLED)

    assert api.delete(f"/expenses/{expense.pk}").status_code == 409
    assert Expense.objects.filter(pk=expense.pk).exists()


def test_list_filters_by_matter_status_and_dates(api, firm, matter):
    first = expense_create(firm=firm, actor=None, matter=matter, incurred_on=date(2026, 2, 1),
                           description="Filing fee", unit_cost_minor=35000, quantity=Decimal(1))
    second = expense_create(firm=firm, actor=None, matter=matter, incurred_on=date(2026, 2, 9),
                            description="Courier", unit_cost_minor=2500)
    Expense.objects.filter(pk=first.pk).update(status=EntryStatus.BILLED)

    def ids(**params):  # type: ignore[no-untyped-def]
        return [e["id"] for e in api.get("/expenses/", **params).json()["items"]]

    assert ids() == [second.pk, first.pk]
    assert ids(status="billed") == [first.pk]
    assert ids(date_from="2026-02-05") == [second.pk]
    assert ids(date_to="2026-02-05", matter="ACME-001") == [first.pk]
    assert ids(matter="NOPE") == []
