"""Background tasks of billing (django-tasks; the database backend in production, inline in tests)."""

from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled
from django_tasks import task

from lexbill.billing.models import BillRun
from lexbill.core.tenancy import firm_scope


@task()
def run_bill_run(bill_run_id: int) -> dict[str, Any]:
    """Execute a pending bill run created by `billrun_create` (the web's bill-run launcher queues this)."""
    from lexbill.billing.services.billrun import billrun_execute

    with scopes_disabled():
        run = BillRun.objects.select_related("firm", "created_by").get(pk=bill_run_id)
    with firm_scope(run.firm):
        done = billrun_execute(bill_run=run, actor=run.created_by)
    return {"bill_run": done.pk, "status": done.status, "prebills_created": done.prebills_created,
            "skipped": len(done.skipped)}


@task()
def run_bulk_job(bulk_job_id: int) -> dict[str, Any]:
    """Execute a pending bulk job created by `bulk_job_create` (the web's and the API's bulk actions queue this)."""
    from lexbill.billing.models import BulkJob
    from lexbill.billing.services.bulk import bulk_job_execute

    with scopes_disabled():
        job = BulkJob.objects.select_related("firm", "created_by").get(pk=bulk_job_id)
    with firm_scope(job.firm):
        done = bulk_job_execute(job=job)
    return {"bulk_job": done.pk, "status": done.status, "done": done.done_count, "failed": done.failed_count}
