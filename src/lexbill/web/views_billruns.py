"""Bill-run pages: the launcher with the list of past runs, a run's page and its live progress fragment.

The page never runs the bill run itself: `billrun_start` creates a pending BillRun and queues `run_bill_run`
(django-tasks) on commit, which a worker (`lexbill worker`) executes. The run's page polls a small fragment every
second until the run is done or failed; the counts come from the BillRun row, which the run updates in
the same transaction as each pre-bill, so the page never shows a count the database does not hold.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lexbill.billing.models import BillRun, BillRunStatus, PreBill
from lexbill.billing.selectors_prebill import with_line_totals
from lexbill.billing.services.billrun import billrun_start

from .access import can_do, firm_member_required
from .forms_invoices import BillRunForm
from .service_forms import save_form
from .views_bulk import bulk_actions
from .views_records.common import actor_of, firm_of, paginate

FINISHED = (BillRunStatus.DONE, BillRunStatus.FAILED)


def _list(request: HttpRequest, form: BillRunForm | None = None) -> HttpResponse:
    runs = BillRun.objects.select_related("created_by").order_by("-created_at", "-pk")
    return render(request, "web/invoices/billrun_list.html", {
        "page": paginate(request, runs),
        # the usual month-end run: everything up to the end of last month, in the firm's zone
        "form": form or BillRunForm(initial={"through_on": BillRunForm.default_through(timezone.localdate())}),
        "can_edit": can_do(request, "bill_runs.change"),
    })


@firm_member_required("bill_runs.view")
def billrun_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@firm_member_required("bill_runs.change")
@require_http_methods(["GET", "POST"])
def billrun_launch(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # a bookmarked or typed /billruns/new/: the page with the form
        return _list(request)
    form = BillRunForm(request.POST)
    # billrun_start queues the run's task once the run has committed.
    run = save_form(request, form, lambda data: billrun_start(firm=firm_of(request), actor=actor_of(request), **data))
    if run is None:
        return _list(request, form)
    messages.success(request, f"Bill run {run.pk} started.")
    return redirect("billrun_detail", pk=run.pk)


def progress_context(run: BillRun) -> dict[str, Any]:
    """What the progress box shows, the pre-bills made so far included (they appear as the run goes)."""
    total, done = run.total_matters, run.done_matters
    # an issued pre-bill shows the lines and total it was issued with (`with_line_totals`)
    prebills = with_line_totals(PreBill.objects.filter(bill_run=run).select_related("client", "matter")).order_by("pk")
    return {
        "run": run,
        "prebills": prebills,
        "is_finished": run.status in FINISHED,
        "percent": (done * 100 // total) if total else (100 if run.status == BillRunStatus.DONE else 0),
        "skipped": run.skipped or [],
    }


@firm_member_required("bill_runs.view")
def billrun_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BillRun.objects.select_related("created_by"), pk=pk)
    return render(request, "web/invoices/billrun_detail.html", {
        **progress_context(run), "bulk": bulk_actions(request, prebills=True, invoices=True)})


@firm_member_required("bill_runs.view")
def billrun_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the run's page polls; once finished it carries no polling trigger, so polling stops."""
    run = get_object_or_404(BillRun, pk=pk)
    return render(request, "web/invoices/_billrun_progress.html", progress_context(run))
