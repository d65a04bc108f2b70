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
