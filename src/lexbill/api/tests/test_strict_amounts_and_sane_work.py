"""The API reads amounts with the one strict parser and refuses impossible work with the services' words."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.core.models import AuditEvent
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import Expense, TimeEntry
from lexbill.timekeeping.services import time_entry_create

pytestmark = pytest.mark.django_db

EXPENSE = {"matter": "ACME-001", "incurred_on": "2026-02-04", "description": "Courier"}
TIME = {"matter": "ACME-001", "timekeeper": "JD", "worked_on": "2026-02-04", "narrative": "Draft motion"}


@pytest.mark.parametrize(("unit_cost", "field", "detail"), [
    # main read "0.150" as 0.15 (trailing decimals beyond the currency's were dropped when zero).
    ("0.150", "unit_cost", "USD amounts have at most 2 decimals."),
    ("0.00", "unit_cost_minor", "an expense must be more than 0 (quantity x unit cost is 0.00 USD)"),
])
def test_an_expense_with_a_bad_or_zero_amount_is_422_and_writes_nothing(api, matter, unit_cost, field, detail):
    events = AuditEvent.objects.count()

    response = api.post("/expenses/", {**EXPENSE, "unit_cost": unit_cost})

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == (field, detail)
    assert not Expense.objects.exists()
    assert AuditEvent.objects.count() == events


def test_billable_above_worked_is_422_and_writes_nothing(api, matter, associate):
    response = api.post("/time-entries/", {**TIME, "hours": "1", "hours_billable": "9.9"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "hours billable (9.9) cannot be more than hours worked (1): write the line up in the pre-bill "
                  "review instead",
        "code": "invalid", "field": "hours_billable"}
    assert not TimeEntry.objects.exists()


def test_an_edit_to_billable_above_worked_is_422_and_changes_nothing(api, firm, matter, associate):
    entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate,
                              worked_on=date(2026, 2, 4), duration=Duration(hours=Decimal("0.9")),
                              narrative="Call", today=date(2026, 3, 2))

    response = api.patch(f"/time-entries/{entry.pk}", {"hours_billable": "9.9"})

    assert (response.status_code, response.json()["field"]) == (422, "hours_billable")
    assert TimeEntry.objects.values_list("hours_worked", "hours_billable").get() == (Decimal("0.9"), Decimal("0.9"))
