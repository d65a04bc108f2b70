"""The bill-run launcher: the form creates a BillRun and queues the task; refusals create nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lexbill.billing.models import BillRun, BillRunStatus, PreBill
from lexbill.billing.tasks import run_bill_run
from lexbill.clients.models import Matter
from lexbill.testing import factories

from .records_support import audit_count, login_as, other_firm_rows, record_time

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def wip(firm, matter, partner, associate, client_acme):
    """ACME-001: RA 1.5 h x 500.00 + JD 2.0 h x 300.00 = 1,350.00; ACME-002: nothing to bill."""
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    record_time(firm, matter, partner, date(2026, 3, 2), "1.5")
    record_time(firm, matter, associate, date(2026, 3, 3), "2.0")
    record_time(firm, matter, associate, date(2026, 4, 2), "1.0")  # after the cut-off: stays WIP


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


def test_launching_runs_the_bill_run_and_shows_its_results(clerk, wip, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE

    with django_capture_on_commit_callbacks(execute=True):  # the task is queued when the run commits
        response = clerk.post(reverse("billrun_launch"), {"through_on": "2026-03-31"})

    run = BillRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billrun_detail", args=[run.pk])
    assert (run.status, run.total_matters, run.done_matters, run.prebills_created) == (BillRunStatus.DONE, 2, 2, 1)
    assert run.skipped == [{"matter": "ACME-002", "reason": "nothing_to_bill",
                            "detail": "no unbilled work up to the cut-off"}]
    assert run.selection == {}
    prebill = PreBill.objects.get()
    assert (prebill.bill_run_id, prebill.matter.number, prebill.lines.count()) == (run.pk, "ACME-001", 2)
    page = clerk.get(response["Location"]).content.decode()
    assert "2 of 2 matters done" in page and "1 pre-bill created" in page and "1 skipped" in page
    assert "1,350.00 USD" in page and "nothing_to_bill" in page
    assert 'hx-trigger="every 1s"' not in page  # done: the page stops polling


def test_with_the_database_backend_the_run_waits_for_a_worker(clerk, wip, settings,
                                                              django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("billrun_launch"), {"through_on": "2026-03-31"})

    run = BillRun.objects.get()
    assert run.status == BillRunStatus.PENDING and PreBill.objects.count() == 0
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == ("lexbill.billing.tasks.run_bill_run", [run.pk])
    page = clerk.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 1s"' in page
    # What `lexbill worker` does with the queued task:
    run_bill_run.call(run.pk)
    fragment = clerk.get(reverse("billrun_progress", args=[run.pk])).content.decode()
    assert "2 of 2 matters done" in fragment and 'hx-trigger="every 1s"' not in fragment


def test_the_selection_is_kept_on_the_run(clerk, wip, matter, client_acme, partner, settings,
                                          django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    second = Matter.objects.get(number="ACME-002")

    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(reverse("billrun_launch"), {"through_on": "2026-03-31", "client": "acme",
                                               "matters": "acme-002, ACME-001", "billing_attorney": str(partner.pk)})

    run = BillRun.objects.get()
    assert run.selection == {
        "client": {"id": client_acme.pk, "code": "ACME"},
        "matters": [{"id": second.pk, "number": "ACME-002"}, {"id": matter.pk, "number": "ACME-001"}],
        "billing_attorney": {"id": partner.pk, "initials": "RA"}}
    assert (run.status, run.prebills_created, run.total_matters) == (BillRunStatus.DONE, 1, 2)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"through_on": ""}, "through_on", "This field is required."),
    ({"through_on": "2026-13-01"}, "through_on", "Enter a valid date."),
    ({"through_on": "2026-03-31", "client": "NOPE"}, "client", "No client NOPE."),
    ({"through_on": "2026-03-31", "matters": "ACME-001 NOPE-1 NOPE-2"}, "matters", "No matter NOPE-1, NOPE-2."),
    ({"through_on": "2026-03-31", "billing_attorney": "999999"}, "billing_attorney",
     "Select a valid choice. That choice is not one of the available choices."),
])
def test_bad_input_is_shown_kept_and_nothing_is_created(clerk, wip, settings, data, field, message):
    settings.TASKS = IMMEDIATE
    events = audit_count()

    response = clerk.post(reverse("billrun_launch"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert message in response.content.decode()
    assert form[field].value() == data[field]
    assert BillRun.objects.count() == 0 and PreBill.objects.count() == 0 and audit_count() == events


def test_another_firms_client_is_not_found(clerk, wip, other_firm, settings):
    settings.TASKS = IMMEDIATE
    other_firm_rows(other_firm)

    response = clerk.post(reverse("billrun_launch"), {"through_on": "2026-03-31", "client": "OTHER",
                                                      "matters": "OTHER-1"})

    assert response.context["form"].errors == {"client": ["No client OTHER."], "matters": ["No matter OTHER-1."]}
    assert BillRun.objects.count() == 0
