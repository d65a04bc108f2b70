"""/bill-runs: 202 and a background task (run here by the immediate backend on commit); the run's page
shows its counts and skipped reasons; reruns add nothing; refusals create and queue nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from lexbill.billing.models import BillRun, PreBill
from lexbill.billing.tasks import run_bill_run
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

from .billing_api_helpers import api_as

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def start(api, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """POST /bill-runs/ and let its transaction's on-commit hooks (the task) run, as a real commit would;
    answers the run's page afterwards."""
    settings.TASKS = IMMEDIATE

    def post(body):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/bill-runs/", body)
        assert response.status_code == 202, response.json()
        return api.get(f"/bill-runs/{response.json()['id']}").json()

    return post


@pytest.fixture
def wip(firm, matter, associate, partner):  # type: ignore[no-untyped-def]
    """ACME-001: Jane 1.5 h (450.00) on 2 March and 1.0 h (300.00) on 20 March; ACME-002 has nothing."""
    for worked_on, hours in [(date(2026, 3, 2), "1.5"), (date(2026, 3, 20), "1.0")]:
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=worked_on,
                          duration=Duration(hours=Decimal(hours)), narrative="Research", today=date(2026, 3, 31))
    return factories.make_matter(firm, client=matter.client, billing_attorney=partner, number="ACME-002")


def test_a_bill_run_answers_202_and_runs_as_a_task_on_commit(api, firm, matter, wip, settings,
                                                             django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        response = api.post("/bill-runs/", {"through": "2026-03-15"})

    run = BillRun.objects.get()
    assert response.status_code == 202
    assert {k: response.json()[k] for k in ("id", "status", "total_matters", "done_matters", "prebills_created")} \
        == {"id": run.pk, "status": "pending", "total_matters": 0, "done_matters": 0, "prebills_created": 0}
    assert len(hooks) == 1  # the task is queued only once the run has committed
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs) == ("lexbill.billing.tasks.run_bill_run",
                                                      {"args": [run.pk], "kwargs": {}})
    assert not PreBill.objects.exists()

    run_bill_run.call(run.pk)  # what the worker does

    body = api.get(f"/bill-runs/{run.pk}").json()
    assert (body["status"], body["done_matters"], body["prebills_created"]) == ("done", 2, 1)


def test_a_bill_run_makes_pre_bills_and_reports_what_it_skipped(start, firm, matter, wip, admin_user):
    body = start({"through": "2026-03-15"})

    run = BillRun.objects.get()
    prebill = PreBill.objects.get()
    assert {k: body[k] for k in ("id", "through", "status", "selection", "total_matters", "done_matters",
                                 "prebills_created", "error")} == {
        "id": run.pk, "through": "2026-03-15", "status": "done", "selection": {}, "total_matters": 2,
        "done_matters": 2, "prebills_created": 1, "error": ""}
    assert [(s["matter"], s["reason"]) for s in body["skipped"]] == [("ACME-002", "nothing_to_bill")]
    assert [(p["id"], p["matter"], p["line_count"], p["total"], p["bill_run_id"]) for p in body["prebills"]] == [
        (prebill.pk, "ACME-001", 1, "450.00", run.pk)]
    assert run.created_by == admin_user


def test_a_rerun_bills_nothing_twice(start, firm, matter, wip):
    start({"through": "2026-03-31"})

    body = start({"through": "2026-03-31"})

    assert body["prebills_created"] == 0
    assert sorted((s["matter"], s["reason"]) for s in body["skipped"]) == [
        ("ACME-001", "open_prebill"), ("ACME-002", "nothing_to_bill")]
    assert PreBill.objects.count() == 1


@pytest.mark.parametrize("selection,created,matters", [
    ({"client": "ACME"}, 1, 2), ({"matters": ["ACME-002"]}, 0, 1), ({"billing_attorney": "ra"}, 1, 2)])
def test_selection(start, firm, matter, wip, selection, created, matters):
    body = start({"through": "2026-03-31", **selection})

    assert (body["prebills_created"], body["total_matters"]) == (created, matters)


@pytest.mark.parametrize("selection,field", [
    ({"client": "NOPE"}, "client"), ({"matters": ["ACME-001", "NOPE"]}, "matters"),
    ({"billing_attorney": "ZZ"}, "billing_attorney")])
def test_an_unknown_selection_is_422_and_runs_nothing(api, firm, matter, wip, selection, field,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as hooks:
        response = api.post("/bill-runs/", {"through": "2026-03-31", **selection})

    assert (response.status_code, response.json()["field"]) == (422, field)
    assert hooks == []
    assert not BillRun.objects.exists()
    assert not PreBill.objects.exists()


def test_list_and_detail(api, start, firm, matter, wip):
    run_id = start({"through": "2026-03-31"})["id"]

    listed = api.get("/bill-runs/").json()
    detail = api.get(f"/bill-runs/{run_id}").json()

    assert (listed["count"], listed["items"][0]["id"], listed["items"][0]["prebills_created"]) == (1, run_id, 1)
    assert [p["total"] for p in detail["prebills"]] == ["750.00"]
    assert api.get("/bill-runs/424242").status_code == 404


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_only_billing_roles_run_bills(firm, matter, wip, role):
    other, _user = api_as(firm, role)

    assert other.post("/bill-runs/", {"through": "2026-03-31"}).status_code == 403
    assert not BillRun.objects.exists()
    assert other.get("/bill-runs/").status_code == 200
