"""Export -> import of every kind, in both formats, changes nothing and duplicates nothing."""

import pytest

from lexbill.clients.models import Client, Matter
from lexbill.core.models import AuditEvent
from lexbill.exchange.columns import KIND_NAMES
from lexbill.exchange.exporters import export_file
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry

from .helpers import run_import, seed_records

MODELS = {"timekeepers": Timekeeper, "clients": Client, "matters": Matter, "rates": Rate, "time": TimeEntry,
          "expenses": Expense}
EXPECTED_ROWS = {"timekeepers": 2, "clients": 1, "matters": 1, "rates": 2, "time": 2, "expenses": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_an_export_reimports_unchanged(firm, matter, partner, associate, client_acme, tmp_path, kind, fmt):
    # Given one of everything
    seed_records(firm, matter, partner, associate, client_acme)
    model = MODELS[kind]
    before = sorted(model.objects.values_list("pk", flat=True))
    snapshot = list(model.objects.order_by("pk").values())
    # When it is exported and imported again
    path = tmp_path / f"{kind}.{fmt}"
    assert export_file(firm=firm, kind=kind, path=path, fmt=fmt) == EXPECTED_ROWS[kind]
    result = run_import(firm, kind, path)
    # Then every row is unchanged and nothing new exists
    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, EXPECTED_ROWS[kind])
    assert sorted(model.objects.values_list("pk", flat=True)) == before
    assert list(model.objects.order_by("pk").values()) == snapshot
    assert AuditEvent.objects.filter(action=f"import.{kind}").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_into_an_empty_firm_and_again_unchanged(
    firm, matter, partner, associate, client_acme, other_firm, tmp_path, fmt
):
    from lexbill.core.tenancy import firm_scope

    seed_records(firm, matter, partner, associate, client_acme)
    files = {}
    for kind in KIND_NAMES:
        files[kind] = tmp_path / f"{kind}.{fmt}"
        export_file(firm=firm, kind=kind, path=files[kind], fmt=fmt)
    with firm_scope(other_firm):
        for kind in KIND_NAMES:
            result = run_import(other_firm, kind, files[kind])
            assert result.problems == [], kind
            assert result.created == EXPECTED_ROWS[kind], kind
        copied = TimeEntry.objects.order_by("worked_on").values_list(
            "source_ref", "hours_worked", "narrative", "task_code", "timekeeper__initials")
        entries = list(copied)
        for kind in KIND_NAMES:
            again = run_import(other_firm, kind, files[kind])
            assert (again.created, again.updated, again.unchanged) == (0, 0, EXPECTED_ROWS[kind]), kind
        expense = Expense.objects.get()
    ids = list(TimeEntry.objects.order_by("worked_on").values_list("pk", flat=True))
    assert [e[0] for e in entries] == [f"lexbill:{ids[0]}", "PMS-1001"]
    assert [(str(e[1]), e[2], e[3], e[4]) for e in entries] == [
        ("1.3", 'Draft motion, "urgent"; call client', "L210", "JD"), ("0.3", "Review draft", "", "RA")]
    assert (str(expense.quantity), expense.unit_cost_minor, expense.amount_minor) == ("2.5", 1999, 4998)
