"""/bulk-jobs: approve, issue, send or zip many pre-bills or invoices in the background (as the web does).

POST answers 202 with the job's id; GET /bulk-jobs/{id} follows its progress and each item's outcome; GET
/bulk-jobs/{id}/zip returns the ZIP of a finished zip job. The route lets in any staff token; the service
then asks the policy for the single action the kind repeats (approve: prebills.approve; issue and send:
invoices.change; zip: invoices.view) and refuses a row the caller may not see (404), and every item still
goes through its single service's own check when the job runs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from lexbill.billing.models import BillRun, BulkJob
from lexbill.billing.selectors_bulk import bulk_job_items, run_targets, visible_bulk_jobs
from lexbill.billing.services.bulk import MAX_ITEMS, bulk_job_create, firm_today
from lexbill.core.errors import NotFound, ValidationFailed

from .access import allow, bound_actor, request_actor
from .auth import actor
from .billing_prebills import ERRORS
from .common import ObjectId, get_or_404
from .idempotency import idempotent
from .schemas import ErrorOut, InSchema

router = Router(tags=["billing"])

ZIP_RESPONSE = {"200": {"description": "The job's ZIP: PDFs, LEDES files and manifest.csv",
                        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}


RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class BulkJobIn(InSchema):
    kind: Literal["approve", "issue", "send", "zip"]
    ids: list[RowId] | None = Field(
        None, min_length=1, max_length=MAX_ITEMS,
        description="pre-bill ids (approve, issue) or invoice ids (send, zip)")
    bill_run: int | None = Field(None, ge=1, le=2**63 - 1,
                                 description="instead of ids: all of the run's rows this action can take")
    issued_on: date | None = Field(None, description="the invoice date (issue); default: today in the firm's zone")


class BulkItemOut(Schema):
    position: int
    id: int
    label: str
    status: str
    message: str


class BulkJobOut(Schema):
    id: int
    kind: str
    status: str
    total: int
    done: int
    failed: int
    issued_on: date | None
    error: str
    zip_sha256: str
    created_at: datetime
    finished_at: datetime | None
    items: list[BulkItemOut]


def _out(job: BulkJob) -> dict[str, Any]:
    return {"id": job.pk, "kind": job.kind, "status": job.status, "total": job.total, "done": job.done_count,
            "failed": job.failed_count, "issued_on": job.issued_on, "error": job.error,
            "zip_sha256": job.zip_sha256, "created_at": job.created_at, "finished_at": job.finished_at,
            "items": [{"position": i.position, "id": i.target_id, "label": i.label, "status": i.status,
                       "message": i.message} for i in bulk_job_items(job)]}


@router.post("/bulk-jobs/", response={202: BulkJobOut, **ERRORS})
@allow("invoices.view")
@idempotent
def create_bulk_job(request: HttpRequest, payload: BulkJobIn) -> Status:
    """Start a bulk job in the background: 202 with the job; `GET /bulk-jobs/{id}` follows it."""
    if (payload.ids is None) == (payload.bill_run is None):
        raise ValidationFailed("name either ids or a bill_run", field="ids")
    ids = payload.ids
    if payload.bill_run is not None:
        run = get_or_404(BillRun.objects.all(), payload.bill_run, "bill run")
        ids = run_targets(run, payload.kind, bound_actor())
    firm = request.firm  # type: ignore[attr-defined]
    issued_on = payload.issued_on or (firm_today(firm) if payload.kind == "issue" else None)
    job = bulk_job_create(firm=firm, kind=payload.kind, actor=actor(request), ids=ids or [], issued_on=issued_on)
    return Status(202, _out(job))


@router.get("/bulk-jobs/{job_id}", response={200: BulkJobOut, 404: ErrorOut})
@allow("invoices.view")
def get_bulk_job(request: HttpRequest, job_id: ObjectId) -> dict[str, Any]:
    return _out(get_or_404(visible_bulk_jobs(request_actor(request)), job_id, "bulk job"))


@router.get("/bulk-jobs/{job_id}/zip", response={404: ErrorOut}, openapi_extra={"responses": ZIP_RESPONSE})
@allow("invoices.view")
def get_bulk_job_zip(request: HttpRequest, job_id: ObjectId) -> HttpResponse:
    """The ZIP of a finished zip job (404 while it runs, or for another kind)."""
    job = get_or_404(visible_bulk_jobs(request_actor(request)), job_id, "bulk job")
    if not job.zip_content:
        raise NotFound(f"bulk job {job.pk} has no ZIP")
    response = HttpResponse(bytes(job.zip_content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="invoices-job-{job.pk}.zip"'
    return response
