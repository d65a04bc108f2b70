"""Reading e-billing submissions: lists, one submission with its answers, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.core.errors import NotFound, ValidationFailed
from lexbill.ebilling.models import client_ebilling_settings

from .models import Submission, SubmissionStatus

S = SubmissionStatus
# A portal has not answered yet (an appeal waits for its answer too).
WAITING = (S.SUBMITTED, S.APPEALED)
# Done with: nothing more is expected from the portal.
SETTLED = (S.ACCEPTED, S.PAID, S.SUPERSEDED)


def submission_list(*, status: str | None = None, portal: str | None = None, invoice: Invoice | None = None,
                    client_code: str | None = None) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("invoice", "invoice__client__ebilling_settings", "invoice__matter",
                                           "submitted_by")
    if status:
        if status not in S.values:
            raise ValidationFailed(f"no submission status '{status}' (known: {', '.join(S.values)})",
                                   field="status")
        qs = qs.filter(status=status)
    if portal:
        qs = qs.filter(portal__iexact=portal.strip())
    if invoice is not None:
        qs = qs.filter(invoice=invoice)
    if client_code:
        qs = qs.filter(invoice__client__code__iexact=client_code.strip())
    return qs.order_by("-submitted_at", "-id")


def submission_get(submission_id: int) -> Submission:
    sub = submission_list().prefetch_related("lines").filter(pk=submission_id).first()
    if sub is None:
        raise NotFound(f"no submission {submission_id}")
    return sub


def submission_latest(invoice: Invoice) -> Submission:
    """The invoice's latest submission (the one the portal's next answer is about)."""
    sub = submission_list(invoice=invoice).first()
    if sub is None:
        raise NotFound(f"{invoice.number} was never submitted to a portal")
    return sub


def deadline_of(sub: Submission) -> date | None:
    days = client_ebilling_settings(sub.invoice.client).submission_deadline_days
    return None if days is None else sub.submitted_on + timedelta(days=days)


def is_ageing(sub: Submission, today: date) -> bool:
    """Past the client's deadline (submitted_on + submission_deadline_days < today) and not settled."""
    deadline = deadline_of(sub)
    return deadline is not None and deadline < today and sub.status not in SETTLED


@dataclass
class Dashboard:
    waiting: list[Submission] = field(default_factory=list)
    rejected: list[Submission] = field(default_factory=list)
    reduced: list[Submission] = field(default_factory=list)
    ageing: list[Submission] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def ebilling_dashboard(*, today: date) -> Dashboard:
    """Two queries whatever the number of submissions: the open ones with their invoice and client, and the
    count by status."""
    board = Dashboard()
    open_subs = list(submission_list().exclude(status__in=SETTLED).order_by("submitted_on", "id"))
    for sub in open_subs:
        if sub.status in WAITING:
            board.waiting.append(sub)
        elif sub.status == S.REJECTED:
            board.rejected.append(sub)
        elif sub.status == S.REDUCED:
            board.reduced.append(sub)
        if is_ageing(sub, today):
            board.ageing.append(sub)
    rows = Submission.objects.values_list("status").annotate(n=Count("id")).order_by()
    found = dict(rows)
    board.counts = {value: found.get(value, 0) for value in S.values}
    return board


def replacement_invoices(sub: Submission, invoices: QuerySet[Invoice] | None = None) -> list[Invoice]:
    """The invoices a rejected submission may be resubmitted as after a credit note and re-bill: the same
    client's later invoices with no live submission, newest first. Empty while the invoice has no credit note
    (then only a corrected export of the same invoice can be resubmitted). `invoices` narrows to those the
    reader may see."""
    if not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, credits_id=sub.invoice_id).exists():
        return []
    qs = invoices if invoices is not None else Invoice.objects.all()
    live = Submission.objects.exclude(status=S.SUPERSEDED).values("invoice_id")
    return list(qs.filter(kind=InvoiceKind.INVOICE, client_id=sub.invoice.client_id,
                          issued_on__gte=sub.invoice.issued_on)
                .exclude(pk=sub.invoice_id).exclude(pk__in=live).order_by("-issued_on", "-id")[:20])
