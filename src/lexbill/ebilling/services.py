"""E-billing submissions: send an issued invoice to a client's portal and record what the portal answered.

The file sent is written once, validated with lexbill's own validator (a file a portal would refuse is never
"submitted") and kept with its SHA-256. The portal's answers move a submission along TRANSITIONS only.
A rejected submission is corrected by a resubmission (`corrects`), which supersedes it; the resubmitted file
must differ from the rejected one (a portal that refused a file refuses the same bytes again), and what changed
is recorded on the resubmission (`changes`: the re-billed invoice, lines added/removed/changed, totals).
Reductions recorded per line are money the client will not pay: `submission_write_down` turns their total
into a credit note (docs/ledes.md, "Submissions").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.billing.services.credit import credit_note_issue
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.money import format_money, to_minor
from lexbill.core.transactions import service_transaction
from lexbill.ebilling.models import client_ebilling_settings

from .ledes.document import invoice_document
from .ledes.profiles import profile_get
from .ledes.reader import read
from .ledes.validator import ERROR, validate
from .ledes.writer import WRITERS, file_name
from .ledes.xml21_reader import looks_like_xml, read_xml21
from .models import Submission, SubmissionLine, SubmissionStatus
from .resubmission import FileLine, diff_lines

S = SubmissionStatus

# What a portal may answer next. SUPERSEDED is reached only through submission_resubmit; PAID and
# SUPERSEDED are final. A status may repeat only to add verdicts on further lines (REJECTED, REDUCED).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.REDUCED}),
    S.ACCEPTED: frozenset({S.PAID, S.REDUCED}),
    S.REJECTED: frozenset({S.APPEALED, S.REJECTED}),
    S.REDUCED: frozenset({S.APPEALED, S.PAID, S.REDUCED}),
    S.APPEALED: frozenset({S.ACCEPTED, S.REJECTED, S.REDUCED}),
    S.PAID: frozenset(),
    S.SUPERSEDED: frozenset(),
}


class UnchangedResubmission(Conflict):
    """A resubmission whose file is byte for byte the file the portal rejected."""

    code = "file_unchanged"


ANSWERS = (S.ACCEPTED, S.REJECTED, S.REDUCED, S.APPEALED, S.PAID)
WRITE_DOWN_PREFIX = "E-billing reduction, submission"


def format_name(value: str | None) -> str:
    """'1998B', '1998BI' or 'XML2.1' (also accepts 98BI, XML, XML 2.1 and any case)."""
    text = (value or "").strip().upper()
    text = {"98BI": "1998BI", "98BI V2": "1998BI", "XML": "XML2.1", "XML 2.1": "XML2.1", "XML21": "XML2.1",
            }.get(text, text)
    if text not in WRITERS:
        raise ValidationFailed(f"no LEDES format '{value}' (known: {', '.join(WRITERS)})", field="format")
    return text


@dataclass(frozen=True)
class LineAnswer:
    """A portal's verdict on one line of the file: a rejection (reason code) or a reduction (amount)."""

    line_number: int
    reason: str = ""
    reason_code: str = ""
    reduced_by_minor: int = 0


def _write_file(invoice: Invoice, fmt: str, profile_name: str) -> tuple[str, bytes]:
    profile = profile_get(profile_name)
    data = WRITERS[fmt](invoice_document(invoice), profile)
    errors = [f for f in validate(data) if f.severity == ERROR]
    if errors:
        shown = "; ".join(str(f) for f in errors[:3]) + (f" (and {len(errors) - 3} more)" if len(errors) > 3 else "")
        raise ValidationFailed(f"the {fmt} file of {invoice.number} would be refused by a portal: {shown}")
    return file_name(invoice.number, fmt), data


def _new_submission(*, invoice: Invoice, portal: str | None, ledes_format: str | None, profile: str | None,
                    actor: User | None, today: date, now: datetime, corrects: Submission | None) -> Submission:
    client = invoice.client
    settings = client_ebilling_settings(client)
    portal = (portal if portal is not None else settings.ebilling_portal).strip()
    if not portal:
        raise ValidationFailed(f"client {client.code} has no e-billing portal: give one", field="portal")
    fmt = format_name(ledes_format or settings.ledes_format or "1998B")
    profile_name = profile_get(profile if profile is not None else settings.ledes_profile).name
    file_name, data = _write_file(invoice, fmt, profile_name)
    return Submission(
        firm=invoice.firm, invoice=invoice, portal=portal[:60], ledes_format=fmt, profile=profile_name,
        file_name=file_name, file_bytes=data, file_sha256=hashlib.sha256(data).hexdigest(),
        status=S.SUBMITTED, status_on=today, corrects=corrects, submitted_on=today, submitted_at=now,
        submitted_by=actor if actor is not None and actor.is_authenticated else None)


def _after(sub: Submission) -> dict[str, object]:
    return {"invoice": sub.invoice.number, "portal": sub.portal, "format": sub.ledes_format,
            "profile": sub.profile, "file_sha256": sub.file_sha256, "status": sub.status,
            "corrects": sub.corrects_id, **({"changes": sub.changes} if sub.changes else {})}


def submission_create(
    *, invoice: Invoice, actor: User | None, portal: str | None = None, ledes_format: str | None = None,
    profile: str | None = None, today: date | None = None, now: datetime | None = None,
) -> Submission:
    """Write the invoice as the client's LEDES file (or the format/profile given) and record it as sent.

    Refused for a credit note, a file with validator errors, or an invoice that already has a live
    submission (a rejected one is corrected with submission_resubmit)."""
    enforce(actor, invoice.firm_id, "ebilling.change")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if invoice.kind != InvoiceKind.INVOICE:
        raise ValidationFailed(f"{invoice.number} is a credit note: only an invoice is submitted to a portal")
    with service_transaction():
        locked = Invoice.objects.select_for_update(of=("self",)).select_related("firm", "client").get(pk=invoice.pk)
        live = (Submission.objects.filter(invoice=locked).exclude(status=S.SUPERSEDED)
                .order_by("-submitted_at", "-id").first())
        if live is not None:
            hint = " (resubmit it corrected)" if live.status == S.REJECTED else ""
            raise Conflict(f"{locked.number} was already submitted to {live.portal} on {live.submitted_on} "
                           f"({live.status}){hint}")
        sub = _new_submission(invoice=locked, portal=portal, ledes_format=ledes_format, profile=profile,
                              actor=actor, today=today, now=now, corrects=None)
        sub.save()
        audit_record(firm=locked.firm, actor=actor, action="submission.created", instance=sub, after=_after(sub),
                     at=now)
    return sub


def submission_resubmit(
    *, submission: Submission, actor: User | None, invoice: Invoice | None = None, portal: str | None = None,
    ledes_format: str | None = None, profile: str | None = None, today: date | None = None,
    now: datetime | None = None,
) -> Submission:
    """A corrected resubmission of a rejected submission: of the same invoice (e.g. in another format or
    profile) or of its corrected invoice (the re-bill after a credit note) for the same client. The old
    submission becomes SUPERSEDED and the new one points to it with `corrects`."""
    enforce(actor, submission.firm_id, "ebilling.change")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with service_transaction():
        old = _lock(submission)
        if old.status != S.REJECTED:
            raise Conflict(f"only a rejected submission can be resubmitted; this one is {old.status}")
        target = invoice or old.invoice
        target = Invoice.objects.select_related("firm", "client").get(pk=target.pk)
        if target.kind != InvoiceKind.INVOICE:
            raise ValidationFailed(f"{target.number} is a credit note: only an invoice is submitted to a portal")
        if target.client_id != old.invoice.client_id:
            raise ValidationFailed(f"{target.number} is for another client than {old.invoice.number}")
        live_elsewhere = Submission.objects.filter(invoice=target).exclude(status=S.SUPERSEDED).exists()
        if target.pk != old.invoice_id and live_elsewhere:
            raise Conflict(f"{target.number} already has a live submission")
        new = _new_submission(invoice=target, portal=old.portal if portal is None else portal,
                              ledes_format=ledes_format or old.ledes_format,
                              profile=old.profile if profile is None else profile,
                              actor=actor, today=today, now=now, corrects=old)
        if new.file_sha256 == old.file_sha256:
            raise UnchangedResubmission(
                f"the file is unchanged since submission {old.pk}: credit and re-bill the invoice, or correct "
                "the export first")
        new.changes = _changes(old, new)
        old.status, old.status_on = S.SUPERSEDED, today
        old.save(update_fields=["status", "status_on"])
        new.save()
        audit_record(firm=old.firm, actor=actor, action="submission.superseded", instance=old,
                     before={"status": S.REJECTED}, after={"status": S.SUPERSEDED, "by": new.pk}, at=now)
        audit_record(firm=old.firm, actor=actor, action="submission.created", instance=new, after=_after(new),
                     at=now)
    return new


def _changes(old: Submission, new: Submission) -> dict[str, object]:
    diff = diff_lines(file_line_items(bytes(old.file_bytes)), file_line_items(bytes(new.file_bytes)))
    return {"invoice_before": old.invoice.number, "invoice_after": new.invoice.number,
            "format_before": old.ledes_format, "format_after": new.ledes_format,
            "profile_before": old.profile, "profile_after": new.profile,
            "sha256_before": old.file_sha256, **diff.as_json()}


def file_line_items(data: bytes) -> list[FileLine]:
    """The line items of a LEDES file in file order, each with what identifies it apart from its money."""
    if looks_like_xml(data):
        return [FileLine(item.file_item_nbr,
                         (item.kind, str(item.charge_date or ""), item.values.get("tk_id", ""),
                          item.values.get("task_code", ""), item.values.get("expense_code", ""),
                          item.values.get("description", "")),
                         item.total)
                for inv in read_xml21(data).invoices for matter in inv.matters for item in matter.items]
    out = []
    for inv in read(data).invoices:
        for line in inv.lines:
            if line.number.isdigit() and line.total is not None:
                key = (line.type, str(line.date or ""), line.timekeeper_id, line.task_code, line.activity_code,
                       line.expense_code, line.description)
                out.append(FileLine(int(line.number), key, line.total - (line.tax_total or Decimal(0))))
    return out


def _lock(submission: Submission) -> Submission:
    locked = (Submission.objects.select_for_update(of=("self",)).select_related("firm", "invoice", "invoice__client")
              .filter(pk=submission.pk).first())
    if locked is None:
        raise NotFound(f"no submission {submission.pk}")
    return locked


def file_lines(sub: Submission) -> dict[int, Decimal]:
    """Each line of the file sent: its LINE_ITEM_NUMBER and its total before tax (major units). In an XML
    file a line is a fee, expense or matter_disc_cred, numbered by its file_item_nbr (portals answer by it)."""
    out: dict[int, Decimal] = {}
    data = bytes(sub.file_bytes)
    if looks_like_xml(data):
        return {item.file_item_nbr: item.total for inv in read_xml21(data).invoices for item in inv.items}
    for inv in read(data).invoices:
        for line in inv.lines:
            if line.number.isdigit() and line.total is not None:
                out[int(line.number)] = line.total - (line.tax_total or Decimal(0))
    return out


def _check_lines(sub: Submission, status: str, lines: list[LineAnswer]) -> None:
    known = file_lines(sub)
    recorded = set(sub.lines.values_list("line_number", flat=True))
    seen: set[int] = set()
    currency = sub.invoice.currency
    for answer in lines:
        n = answer.line_number
        if n not in known:
            raise ValidationFailed(f"the file sent has no line {n} (lines 1 to {max(known, default=0)})",
                                   field="line")
        if n in recorded or n in seen:
            raise Conflict(f"line {n} already has the portal's answer")
        seen.add(n)
        if not answer.reason.strip() and not answer.reason_code.strip():
            raise ValidationFailed(f"line {n}: give the portal's reason", field="reason")
        if status == S.REDUCED:
            line_minor = to_minor(known[n], currency)
            if answer.reduced_by_minor <= 0:
                raise ValidationFailed(f"line {n}: the reduction must be more than zero", field="amount")
            if answer.reduced_by_minor > line_minor:
                raise ValidationFailed(f"line {n}: cannot reduce by {format_money(answer.reduced_by_minor, currency)}"
                                       f", the line is {format_money(line_minor, currency)}", field="amount")
        elif answer.reduced_by_minor:
            raise ValidationFailed("only a reduction carries an amount", field="amount")


def submission_status_set(
    *, submission: Submission, status: str, actor: User | None, reason: str = "",
    lines: list[LineAnswer] | None = None, on: date | None = None, now: datetime | None = None,
) -> Submission:
    """Record the portal's answer. REJECTED: the whole invoice (reason) or some lines (reason codes);
    REDUCED: per line amounts (at least one line); ACCEPTED, APPEALED, PAID: the whole submission."""
    enforce(actor, submission.firm_id, "ebilling.change")
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    lines = list(lines or [])
    reason = (reason or "").strip()
    if status not in ANSWERS:
        raise ValidationFailed(f"'{status}' is not a portal answer ({', '.join(ANSWERS)})", field="status")
    if status == S.REDUCED and not lines:
        raise ValidationFailed("a reduction is recorded per line: give the line and the amount", field="line")
    if lines and status not in (S.REJECTED, S.REDUCED):
        raise ValidationFailed(f"only a rejection or a reduction is recorded per line, not {status}", field="line")
    if status == S.REJECTED and not lines and not reason:
        raise ValidationFailed("a rejection needs the portal's reason", field="reason")
    with service_transaction():
        sub = _lock(submission)
        before = {"status": sub.status, "reason": sub.reason}
        if status not in TRANSITIONS[sub.status] or (status == sub.status and not lines):
            raise Conflict(f"a {sub.status} submission cannot become {status}")
        _check_lines(sub, status, lines)
        rows = [SubmissionLine(firm=sub.firm, submission=sub, line_number=a.line_number, status=status,
                               reason_code=a.reason_code.strip()[:30], reason=a.reason.strip(),
                               reduced_by_minor=a.reduced_by_minor, recorded_at=now) for a in lines]
        SubmissionLine.objects.bulk_create(rows)
        if lines and not reason:
            reason = "; ".join(f"line {a.line_number}: {a.reason_code or a.reason}".strip() for a in lines)
        if status == sub.status and sub.reason and reason:
            reason = f"{sub.reason}; {reason}"
        sub.status, sub.status_on = status, on
        if reason or status in (S.ACCEPTED, S.REJECTED):
            sub.reason = reason
        sub.save(update_fields=["status", "status_on", "reason"])
        audit_record(firm=sub.firm, actor=actor, action=f"submission.{status}", instance=sub, before=before,
                     after={"status": sub.status, "reason": sub.reason,
                            "lines": [{"line": r.line_number, "code": r.reason_code,
                                       "reduced_by_minor": r.reduced_by_minor} for r in rows]}, at=now)
    submission.status, submission.status_on, submission.reason = sub.status, sub.status_on, sub.reason
    return sub


def reduction_minor(submission: Submission) -> int:
    """The total the portal cut from the submission's lines."""
    return sum(submission.lines.filter(status=S.REDUCED).values_list("reduced_by_minor", flat=True))


def written_down(submission: Submission) -> Invoice | None:
    """The credit note that already wrote the submission's reductions down, if any."""
    return (Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, credits_id=submission.invoice_id,
                                   reason__startswith=f"{WRITE_DOWN_PREFIX} {submission.pk}:").first())


def submission_write_down(
    *, submission: Submission, actor: User | None, issued_on: date | None = None, now: datetime | None = None,
) -> Invoice:
    """Write the portal's reductions off: one partial credit note on the invoice for their total (an amount
    before tax; the credit note adds its share of the invoice's tax), the reason naming each line. Done
    once per submission: the credit note's reason carries the submission id, which is how it is found."""
    enforce(actor, submission.firm_id, "ebilling.change")
    now = now or timezone.now()
    issued_on = issued_on or timezone.localdate(now)
    with service_transaction():
        sub = _lock(submission)
        if sub.status not in (S.REDUCED, S.PAID):
            raise Conflict(f"only a reduced submission is written down; this one is {sub.status}")
        reduced = list(sub.lines.filter(status=S.REDUCED).order_by("line_number"))
        total = sum(x.reduced_by_minor for x in reduced)
        if not total:
            raise Conflict("the portal reduced no line of this submission")
        if written_down(sub) is not None:
            raise Conflict("the reductions of this submission are already written down")
        cur = sub.invoice.currency
        detail = ", ".join(f"line {x.line_number} {format_money(x.reduced_by_minor, cur)}"
                           + (f" ({x.reason_code or x.reason})" if (x.reason_code or x.reason) else "")
                           for x in reduced)
        note = credit_note_issue(invoice=sub.invoice, actor=actor, amount_minor=total, issued_on=issued_on,
                                 reason=f"{WRITE_DOWN_PREFIX} {sub.pk}: {sub.portal} reduced {detail}", now=now)
        audit_record(firm=sub.firm, actor=actor, action="submission.written_down", instance=sub,
                     after={"credit_note": note.number, "amount_minor": total}, at=now)
    return note
