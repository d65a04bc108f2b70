"""Bulk work (issue #9): approve, issue, send or zip many pre-bills or invoices as one background job.

`bulk_job_create` checks that the actor may do the single action at all and may see every row named, and
records the job with one item per row. `bulk_job_execute` (inline, or as the `run_bulk_job` task) then
calls the existing single service for each item in turn: `prebill_approve`, `invoices_issue`,
`invoice_send`, `invoice_pdf_render`. Each item is its own transaction, so one bad pre-bill fails alone
with its reason ("P-12: 2 open queries") and the rest proceed; each single service still makes its own
access check. For approve and issue the item's outcome is written in the same transaction as its effect, so
a job run again (after a crash, or to retry what failed) skips exactly the items already done. A send
talks to the mail server outside any transaction (billing/services/send.py), so its item is marked after
the server's answer: a process killed in between sends that invoice again on the re-run, the safe side.

Progress is the job row's counters, updated with each item, so a page reading the job while it runs shows
what the database holds.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.models import Invoice, PreBill
from lexbill.billing.models_bulk import (
    PREBILL_KINDS,
    BulkItemStatus,
    BulkJob,
    BulkJobItem,
    BulkJobKind,
    BulkJobStatus,
)
from lexbill.billing.selectors_invoice import visible_invoices
from lexbill.billing.selectors_prebill import visible_prebills
from lexbill.core.audit import audit_record
from lexbill.core.errors import LexbillError, NotFound, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.transactions import after_commit, service_transaction

# The single action each kind repeats: whoever may do it once may ask for it in bulk.
ACTION_OF_KIND: dict[str, str] = {
    BulkJobKind.APPROVE: "prebills.approve",
    BulkJobKind.ISSUE: "invoices.change",
    BulkJobKind.SEND: "invoices.change",
    BulkJobKind.ZIP: "invoices.view",
}

MAX_ITEMS = 5000


def firm_today(firm: Firm, now: datetime | None = None) -> date:
    """Today in the firm's time zone (the default invoice date of a bulk issue)."""
    return (now or timezone.now()).astimezone(ZoneInfo(firm.timezone)).date()


def prebill_label(prebill_id: int) -> str:
    return f"P-{prebill_id}"


def _targets(kind: str, actor: Any, ids: list[int]) -> list[tuple[int, str]]:
    """(id, label) of each named row, in the order named; any row the actor may not see: NotFound."""
    on_prebills = kind in PREBILL_KINDS
    if on_prebills:
        found = visible_prebills(actor).filter(pk__in=ids).values_list("pk", flat=True)
        labels = {pk: prebill_label(pk) for pk in found}
    else:
        labels = dict(visible_invoices(actor).filter(pk__in=ids).values_list("pk", "number"))
    missing = [i for i in ids if i not in labels]
    if missing:
        raise NotFound(f"no {'pre-bill' if on_prebills else 'invoice'} {missing[0]}")
    return [(i, labels[i]) for i in ids]


def bulk_job_create(*, firm: Firm, kind: str, actor: User | None, ids: Iterable[int], issued_on: date | None = None,
                    operator: bool = False, enqueue: bool = True) -> BulkJob:
    """A pending job over `ids` (pre-bills for approve and issue, invoices for send and zip), queued as the
    `run_bulk_job` task once it has committed (unless `enqueue` is False: the CLI runs it inline)."""
    if kind not in BulkJobKind.values:
        raise ValidationFailed(f"unknown bulk action {kind!r} (choose from {', '.join(BulkJobKind.values)})",
                               field="kind")
    resolved = enforce(actor, firm, ACTION_OF_KIND[kind])
    chosen = list(dict.fromkeys(int(i) for i in ids))  # named twice: done once
    if not chosen:
        raise ValidationFailed("choose at least one pre-bill or invoice", field="ids")
    if len(chosen) > MAX_ITEMS:
        raise ValidationFailed(f"at most {MAX_ITEMS} items in one job", field="ids")
    if kind == BulkJobKind.ISSUE and issued_on is None:
        raise ValidationFailed("an invoice date is needed to issue", field="issued_on")
    targets = _targets(kind, resolved, chosen)
    user = actor if actor is not None and actor.is_authenticated else None
    with service_transaction():
        job = BulkJob.objects.create(firm=firm, kind=kind, total=len(targets), created_by=user,
                                     issued_on=issued_on if kind == BulkJobKind.ISSUE else None,
                                     by_operator=user is None and operator)
        BulkJobItem.objects.bulk_create([
            BulkJobItem(firm=firm, job=job, position=n, target_id=pk, label=label)
            for n, (pk, label) in enumerate(targets, start=1)])
        audit_record(firm=firm, actor=user, action="bulkjob.create", instance=job,
                     after={"kind": kind, "items": [label for _, label in targets],
                            "issued_on": job.issued_on.isoformat() if job.issued_on else None})
        if enqueue:
            from lexbill.billing.tasks import run_bulk_job  # the task module imports this one

            after_commit(lambda: run_bulk_job.enqueue(job.pk))
    return job


# --- execution ------------------------------------------------------------------------------------------------

def _finish(item: BulkJobItem, status: str, message: str, now: datetime) -> None:
    BulkJobItem.objects.filter(pk=item.pk).update(status=status, message=message[:2000], finished_at=now)
    counter = "done_count" if status == BulkItemStatus.DONE else "failed_count"
    BulkJob.objects.filter(pk=item.job_id).update(**{counter: F(counter) + 1})


def _approve(job: BulkJob, item: BulkJobItem, actor: User | None, now: datetime) -> str:
    from lexbill.billing.services.approval import prebill_approve

    prebill_approve(prebill=_prebill(item), actor=actor, now=now, operator=job.by_operator)
    return "approved"


def _issue(job: BulkJob, item: BulkJobItem, actor: User | None, now: datetime) -> str:
    from lexbill.billing.services.issue import invoices_issue

    assert job.issued_on is not None
    invoices = invoices_issue(prebill=_prebill(item), actor=actor, issued_on=job.issued_on, now=now)
    return "issued " + ", ".join(invoice.number for invoice in invoices)


def _prebill(item: BulkJobItem) -> PreBill:
    found = PreBill.objects.filter(pk=item.target_id).first()
    if found is None:
        raise NotFound(f"no pre-bill {item.target_id}")
    return found


def _invoice(item: BulkJobItem) -> Invoice:
    found = Invoice.objects.select_related("firm", "client").filter(pk=item.target_id).first()
    if found is None:
        raise NotFound(f"no invoice {item.target_id}")
    return found


def _run_in_transaction(job: BulkJob, item: BulkJobItem, step: Callable[..., str], actor: User | None,
                        now: datetime) -> None:
    """The item's effect and its outcome in one transaction; a refusal rolls the effect back alone."""
    try:
        with service_transaction():
            message = step(job, item, actor, now)
            _finish(item, BulkItemStatus.DONE, message, now)
    except LexbillError as exc:
        with service_transaction():
            _finish(item, BulkItemStatus.FAILED, f"{item.label}: {exc.message}", now)


def _send(job: BulkJob, item: BulkJobItem, actor: User | None, now: datetime, connection: Any) -> None:
    from lexbill.billing.services.send import invoice_send

    try:
        invoice = _invoice(item)
        delivery = invoice_send(invoice=invoice, actor=actor, now=now, connection=connection)
    except LexbillError as exc:
        _reset(connection)  # a broken session must not fail the invoices after this one
        with service_transaction():
            _finish(item, BulkItemStatus.FAILED, f"{item.label}: {exc.message}", now)
        return
    with service_transaction():
        _finish(item, BulkItemStatus.DONE, "sent to " + ", ".join(delivery.recipients), now)


def _reset(connection: Any) -> None:
    # Closing a session the server already dropped fails too; the next send opens a new one either way.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def _zip_item(job: BulkJob, item: BulkJobItem, actor: User | None, now: datetime) -> str:
    from lexbill.billing.services.bulk_zip import ledes_files
    from lexbill.billing.services.invoice_pdf import invoice_pdf_render

    invoice = _invoice(item)
    invoice_pdf_render(invoice=invoice, actor=actor, now=now)  # stores the bytes once
    files = ledes_files(invoice)  # a LEDES file that cannot be written fails this invoice, not the ZIP
    return "PDF" + (" and LEDES file" if files else "") + " ready"


def bulk_job_execute(*, job: BulkJob, now: datetime | None = None,
                     progress: Callable[[int, int], None] | None = None) -> BulkJob:
    """Run every item not yet done (a re-run retries the failed ones and skips the done), then finish the
    job: DONE, with the ZIP stored for a zip job."""
    now = now or timezone.now()
    actor = job.created_by
    if actor is None and not job.by_operator:
        _fail(job, "the user who asked for this job no longer exists", now)
        return _reload(job)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJobStatus.RUNNING, started_at=now, finished_at=None,
                                             error="")
    # A re-run counts the failed items again from scratch: they are tried once more.
    retried = BulkJobItem.objects.filter(job=job, status=BulkItemStatus.FAILED).update(
        status=BulkItemStatus.PENDING, message="", finished_at=None)
    if retried:
        BulkJob.objects.filter(pk=job.pk).update(failed_count=F("failed_count") - retried)
    items = list(BulkJobItem.objects.filter(job=job).exclude(status=BulkItemStatus.DONE).order_by("position"))
    already = job.total - len(items)
    connection = get_connection(fail_silently=False) if job.kind == BulkJobKind.SEND else None
    try:
        for n, item in enumerate(items, start=1):
            if job.kind == BulkJobKind.SEND:
                _send(job, item, actor, now, connection)
            else:
                step = {BulkJobKind.APPROVE: _approve, BulkJobKind.ISSUE: _issue, BulkJobKind.ZIP: _zip_item}[
                    BulkJobKind(job.kind)]
                _run_in_transaction(job, item, step, actor, now)
            if progress is not None:
                progress(already + n, job.total)
        if job.kind == BulkJobKind.ZIP:
            from lexbill.billing.services.bulk_zip import bulk_zip_build

            content, digest = bulk_zip_build(job=job, actor=actor)
            BulkJob.objects.filter(pk=job.pk).update(zip_content=content, zip_sha256=digest)
    except Exception as exc:  # the job itself broke (not an item's refusal): say so on the job, then re-raise
        _fail(job, str(exc) or type(exc).__name__, timezone.now())
        raise
    finally:
        if connection is not None:
            _reset(connection)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJobStatus.DONE, finished_at=timezone.now())
    return _reload(job)


def _fail(job: BulkJob, error: str, now: datetime) -> None:
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJobStatus.FAILED, error=error[:2000], finished_at=now)


def _reload(job: BulkJob) -> BulkJob:
    return BulkJob.objects.select_related("created_by").get(pk=job.pk)
