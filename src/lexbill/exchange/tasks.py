"""Background tasks of exchange (django-tasks, as billing.tasks): web imports."""

from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled
from django_tasks import task

from lexbill.core.models import Firm
from lexbill.core.tenancy import firm_scope


@task()
def run_import_job(token: str) -> dict[str, Any]:
    """Run an import queued by `jobs.import_job_start` (the web's import page)."""
    from .jobs import _load, import_job_run

    job = _load(token)
    with scopes_disabled():
        firm = Firm.objects.get(pk=job.firm_id)
    with firm_scope(firm):
        done = import_job_run(token, firm)
    return {"token": done.token, "status": done.status, "rows": done.total, "problems": len(done.problems)}
