"""Bulk actions from the pre-bill list, the invoice list and a bill run's page, and the job page with progress.

Each action has its own URL guarded by the single action it repeats (approve: prebills.approve; issue and
send: invoices.change; zip: invoices.view), so whoever may do it once may ask for it in bulk; every item
still goes through the single service's own check when the job runs. The page never runs the job itself:
`bulk_job_create` queues `run_bulk_job` (django-tasks) on commit, as a bill run does, and the job page polls
a small fragment every second until the job is finished.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lexbill.billing.models import BillRun, BulkJob
from lexbill.billing.models_bulk import BulkJobKind
from lexbill.billing.selectors_bulk import bulk_job_items, run_targets, visible_bulk_jobs
from lexbill.billing.services.bulk import bulk_job_create, firm_today
from lexbill.core.errors import LexbillError, NotFound

from .access import actor_of_request, can_do, firm_member_required, safe_next
from .views_records.common import actor_of, firm_of

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BulkForm(forms.Form):
    """The rows ticked on a list (ids), or a bill run whose rows this action can take (run)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    run = forms.IntegerField(required=False, min_value=1)
    issued_on = forms.DateField(required=False, label="Invoice date", widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the service refuses those the actor may not see.
        ids = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(i, i) for i in ids]  # type: ignore[attr-defined]


def _start(request: HttpRequest, kind: str) -> HttpResponse:
    back = safe_next(request, "/")
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{name}: {errs[0]}" for name, errs in form.errors.items()))
        return redirect(back)
    data = form.cleaned_data
    actor = actor_of_request(request)
    ids: list[int] = list(data["ids"])
    if data["run"]:
        run = get_object_or_404(BillRun, pk=data["run"])
        ids = run_targets(run, kind, actor)
        if not ids:
            messages.error(request, f"Nothing in bill run {run.pk} to {BulkJobKind(kind).label.lower()}.")
            return redirect(back)
    issued_on = data["issued_on"] or (firm_today(firm_of(request)) if kind == BulkJobKind.ISSUE else None)
    try:
        job = bulk_job_create(firm=firm_of(request), kind=kind, actor=actor_of(request), ids=ids, issued_on=issued_on)
    except LexbillError as exc:
        if isinstance(exc, NotFound):  # a row the caller may not see: no hint that it exists
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"{BulkJobKind(kind).label} of {job.total} started.")
    return redirect("bulk_job_detail", pk=job.pk)


@firm_member_required("prebills.approve")
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    return _start(request, BulkJobKind.APPROVE)


@firm_member_required("invoices.change")
@require_POST
def bulk_issue(request: HttpRequest) -> HttpResponse:
    return _start(request, BulkJobKind.ISSUE)


@firm_member_required("invoices.change")
@require_POST
def bulk_send(request: HttpRequest) -> HttpResponse:
    return _start(request, BulkJobKind.SEND)


@firm_member_required("invoices.view")
@require_POST
def bulk_zip(request: HttpRequest) -> HttpResponse:
    return _start(request, BulkJobKind.ZIP)


def _job(request: HttpRequest, pk: int) -> BulkJob:
    return get_object_or_404(visible_bulk_jobs(actor_of_request(request)).select_related("created_by"), pk=pk)


def _context(job: BulkJob) -> dict[str, Any]:
    finished = job.done_count + job.failed_count
    return {"job": job, "items": bulk_job_items(job), "finished_items": finished,
            "percent": finished * 100 // job.total if job.total else 100}


@firm_member_required("invoices.view")
def bulk_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/bulk/job_detail.html", _context(_job(request, pk)))


@firm_member_required("invoices.view")
def bulk_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the job's page polls; once finished it carries no polling trigger, so polling stops."""
    return render(request, "web/bulk/_job_progress.html", _context(_job(request, pk)))


@firm_member_required("invoices.view")
def bulk_job_zip(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.kind != BulkJobKind.ZIP or not job.zip_content:
        raise Http404("this job has no ZIP (yet)")
    response = HttpResponse(bytes(job.zip_content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="invoices-job-{job.pk}.zip"'
    return response


def bulk_actions(request: HttpRequest, *, prebills: bool = False, invoices: bool = False) -> dict[str, Any]:
    """Which bulk buttons a list shows the caller: those of the single actions the caller may do."""
    return {
        "approve": prebills and can_do(request, "prebills.approve"),
        "issue": prebills and can_do(request, "invoices.change"),
        "send": invoices and can_do(request, "invoices.change"),
        "zip": invoices and can_do(request, "invoices.view"),
        "today": firm_today(firm_of(request)),
    }
