"""Reads for bulk jobs: which jobs an actor may see, a job's items, and what "all in this run" means per action."""

from __future__ import annotations

from django.db.models import QuerySet

from lexbill.access import Actor, Scope, scope_of
from lexbill.billing.models import BillRun, InvoiceKind, PreBillStatus
from lexbill.billing.models_bulk import PREBILL_KINDS, BulkJob, BulkJobItem, BulkJobKind
from lexbill.billing.selectors_invoice import visible_invoices
from lexbill.billing.selectors_prebill import visible_prebills

# The pre-bills of a run that each pre-bill action can take (approve: not yet approved; issue: approved).
RUN_PREBILL_STATUSES: dict[str, tuple[str, ...]] = {
    BulkJobKind.APPROVE: (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW),
    BulkJobKind.ISSUE: (PreBillStatus.APPROVED,),
}


def visible_bulk_jobs(actor: Actor | None) -> QuerySet[BulkJob]:
    """A job shows the rows it names: its creator sees it, and so does whoever sees every row of the kind it works
    on (admin, billing, accounting); an attorney, who sees only her own pre-bills and invoices, only her jobs."""
    jobs = BulkJob.objects.all()
    if actor is None or actor.is_operator:
        return jobs
    sees_prebills = scope_of(actor, "prebills.view") is Scope.ALL
    sees_invoices = scope_of(actor, "invoices.view") is Scope.ALL
    kinds = ([*PREBILL_KINDS] if sees_prebills else []) + (
        [BulkJobKind.SEND, BulkJobKind.ZIP] if sees_invoices else [])
    mine = jobs.filter(created_by_id=getattr(actor.user, "pk", None)) if actor.user is not None else jobs.none()
    return mine | jobs.filter(kind__in=kinds)


def bulk_job_items(job: BulkJob) -> QuerySet[BulkJobItem]:
    return BulkJobItem.objects.filter(job=job).order_by("position")


def run_targets(run: BillRun, kind: str, actor: Actor | None) -> list[int]:
    """"All in this run" for the action: its pre-bills the action can take, or its issued invoices (send, zip),
    those the actor may see, in pre-bill / number order."""
    if kind in PREBILL_KINDS:
        return list(visible_prebills(actor).filter(bill_run=run, status__in=RUN_PREBILL_STATUSES[kind])
                    .order_by("pk").values_list("pk", flat=True))
    return list(visible_invoices(actor).filter(prebill__bill_run=run, kind=InvoiceKind.INVOICE)
                .order_by("number").values_list("pk", flat=True))
