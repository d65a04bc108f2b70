"""API routes for e-billing submissions and LEDES files (see docs/api.md).

Submitting and recording a portal's answer are for the admin and billing roles; every staff role reads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from lexbill.access import require, restrict
from lexbill.billing.models import Invoice
from lexbill.billing.selectors_invoice import invoice_list
from lexbill.core.errors import ValidationFailed
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.formats import media_type
from lexbill.ebilling.ledes.profiles import profile_get
from lexbill.ebilling.ledes.writer import WRITERS, file_name
from lexbill.ebilling.models import Submission, SubmissionStatus, client_ebilling_settings
from lexbill.ebilling.resubmission import change_summary
from lexbill.ebilling.selectors import submission_get, submission_list
from lexbill.ebilling.services import (
    LineAnswer,
    format_name,
    submission_create,
    submission_resubmit,
    submission_status_set,
)

from .access import allow, bound_actor, request_actor
from .auth import actor
from .billing_prebills import ERRORS, page, signed_minor
from .common import ObjectId, get_or_404
from .idempotency import idempotent
from .schemas import MAX_TEXT, Amount, ErrorOut, InSchema, money_str

router = Router(tags=["e-billing"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}
LEDES_RESPONSE = {"200": {"description": "The invoice as a LEDES file (text for 1998B/1998BI, XML for XML2.1)",
                          "content": {"text/plain": _BINARY, "application/xml": _BINARY}}}


class SubmissionIn(InSchema):
    invoice: int = Field(..., ge=1, le=2**31 - 1)
    portal: str | None = Field(None, max_length=60, description="default: the client's portal")
    format: str | None = Field(None, max_length=10, description="1998B, 1998BI or XML2.1; default: the client's")
    profile: str | None = Field(None, max_length=30, description="LEDES dialect; default: the client's")


class ResubmitIn(InSchema):
    invoice: int | None = Field(None, ge=1, le=2**31 - 1,
                                description="the re-bill after a credit note; default: the same invoice")
    portal: str | None = Field(None, max_length=60, description="default: the rejected submission's")
    format: str | None = Field(None, max_length=10, description="default: the rejected submission's")
    profile: str | None = Field(None, max_length=30, description="default: the rejected submission's")


class LineAnswerIn(InSchema):
    line: int = Field(..., ge=1, le=100_000, description="LINE_ITEM_NUMBER in the file sent")
    reason_code: str = Field("", max_length=30)
    reason: str = Field("", max_length=MAX_TEXT)
    reduced_by: Amount | None = Field(None, description="for a reduction")


class StatusIn(InSchema):
    # Optional in the schema so that an unknown submission is 404 before the body is judged.
    status: SubmissionStatus | None = Field(None, description="required: the portal's answer")
    reason: str = Field("", max_length=MAX_TEXT)
    lines: list[LineAnswerIn] = Field(default_factory=list, max_length=1000)
    on: date | None = Field(None, description="date of the answer; default: today")


class SubmissionLineOut(Schema):
    line: int
    status: str
    reason_code: str
    reason: str
    reduced_by: str | None


class SubmissionOut(Schema):
    id: int
    invoice: str
    invoice_id: int
    client: str
    portal: str
    format: str
    profile: str
    file_name: str
    file_sha256: str
    status: str
    status_on: date
    reason: str
    corrects: int | None
    changes: dict[str, Any] = Field(description="what a resubmission changed against the one it corrects")
    change_summary: str
    submitted_on: date
    lines: list[SubmissionLineOut]


class SubmissionPage(Schema):
    items: list[SubmissionOut]
    count: int


def _out(sub: Submission) -> dict[str, Any]:
    cur = sub.invoice.currency
    return {
        "id": sub.pk, "invoice": sub.invoice.number, "invoice_id": sub.invoice_id, "client": sub.invoice.client.code,
        "portal": sub.portal, "format": sub.ledes_format, "profile": sub.profile, "file_name": sub.file_name,
        "file_sha256": sub.file_sha256, "status": sub.status, "status_on": sub.status_on, "reason": sub.reason,
        "corrects": sub.corrects_id, "changes": sub.changes, "change_summary": change_summary(sub.changes),
        "submitted_on": sub.submitted_on,
        "lines": [{"line": x.line_number, "status": x.status, "reason_code": x.reason_code, "reason": x.reason,
                   "reduced_by": money_str(x.reduced_by_minor, cur) if x.reduced_by_minor else None}
                  for x in sub.lines.all()],
    }


def _invoice(invoice_id: int) -> Invoice:
    return get_or_404(invoice_list(actor=bound_actor()).select_related("firm"), invoice_id, "invoice")


@router.get("/invoices/{invoice_id}/ledes", response={404: ErrorOut, 422: ErrorOut},
            openapi_extra={"responses": LEDES_RESPONSE})
@allow("invoices.view")
def invoice_ledes(request: HttpRequest, invoice_id: ObjectId,
                  format: str | None = Query(None, max_length=10, description="1998B, 1998BI or XML2.1"),
                  profile: str | None = Query(None, max_length=30)) -> HttpResponse:
    """A freshly written LEDES file of the invoice (default: the client's format and profile)."""
    inv = _invoice(invoice_id)
    settings = client_ebilling_settings(inv.client)
    fmt = format_name(format or settings.ledes_format or "1998B")
    data = WRITERS[fmt](invoice_document(inv), profile_get(profile or settings.ledes_profile))
    response = HttpResponse(data, content_type=media_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{file_name(inv.number, fmt)}"'
    return response


@router.post("/submissions", response={201: SubmissionOut, **ERRORS})
@allow("ebilling.change")
@idempotent
def create_submission(request: HttpRequest, payload: SubmissionIn) -> Status:
    """Write, validate and record the invoice's LEDES file as submitted to the portal (409 if the invoice
    already has a live submission, 422 if a portal would refuse the file)."""
    sub = submission_create(invoice=_invoice(payload.invoice), actor=actor(request), portal=payload.portal,
                            ledes_format=payload.format, profile=payload.profile)
    return Status(201, _out(submission_get(sub.pk)))


@router.get("/submissions", response={200: SubmissionPage, 422: ErrorOut})
@allow("ebilling.view")
def list_submissions(
    request: HttpRequest,
    status: SubmissionStatus | None = None,
    portal: str | None = Query(None, max_length=60),
    client: str | None = Query(None, max_length=30, description="client code"),
    invoice: int | None = Query(None, ge=1, le=2**31 - 1, description="invoice id"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    subs = restrict(request_actor(request), "ebilling",
                    submission_list(status=status, portal=portal, client_code=client)).prefetch_related("lines")
    if invoice is not None:
        subs = subs.filter(invoice_id=invoice)
    return page(subs, limit, offset, _out)


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, 404: ErrorOut})
@allow("ebilling.view")
def get_submission(request: HttpRequest, submission_id: ObjectId) -> dict[str, Any]:
    sub = submission_get(submission_id)
    require(request_actor(request), "ebilling.view", sub)
    return _out(sub)


@router.post("/submissions/{submission_id}/status", response={200: SubmissionOut, **ERRORS})
@allow("ebilling.change")
@idempotent
def set_status(request: HttpRequest, submission_id: ObjectId, payload: StatusIn) -> dict[str, Any]:
    """Record the portal's answer: accepted, rejected (whole, or `lines` with reason codes), reduced
    (`lines` with `reduced_by`), appealed, paid. Only the allowed transitions (else 409)."""
    sub = submission_get(submission_id)
    if payload.status is None:
        raise ValidationFailed("give the portal's answer", field="status")
    cur = sub.invoice.currency
    lines = [LineAnswer(x.line, reason=x.reason, reason_code=x.reason_code,
                        reduced_by_minor=signed_minor(x.reduced_by, cur, "reduced_by") if x.reduced_by else 0)
             for x in payload.lines]
    submission_status_set(submission=sub, status=payload.status, actor=actor(request), reason=payload.reason,
                          lines=lines, on=payload.on)
    return _out(submission_get(sub.pk))


@router.post("/submissions/{submission_id}/resubmit", response={201: SubmissionOut, **ERRORS})
@allow("ebilling.change")
@idempotent
def resubmit(request: HttpRequest, submission_id: ObjectId, payload: ResubmitIn) -> Status:
    """Resubmit a rejected submission corrected: the same invoice in another format/profile, or `invoice`,
    its re-bill after a credit note. 409 `file_unchanged` when the file would be the one the portal rejected;
    the new submission's `changes` say what changed."""
    sub = submission_get(submission_id)
    require(request_actor(request), "ebilling.change", sub)
    invoice = _invoice(payload.invoice) if payload.invoice is not None else None
    new = submission_resubmit(submission=sub, actor=actor(request), invoice=invoice, portal=payload.portal,
                              ledes_format=payload.format, profile=payload.profile)
    return Status(201, _out(submission_get(new.pk)))
