"""`lexbill ebill submit|status|list|writedown`: e-billing submissions."""

from __future__ import annotations

from typing import Any

import click

from lexbill.ebilling.ledes.formats import FORMATS
from lexbill.ebilling.resubmission import change_summary

from .access import cli_actor, cli_user
from .common import echo_json, firm_option, json_option, option_amount
from .idempotency import idempotency_option
from .main import cli


def submission_json(sub: Any) -> dict[str, Any]:
    return {
        "id": sub.pk, "invoice": sub.invoice.number, "client": sub.invoice.client.code, "portal": sub.portal,
        "format": sub.ledes_format, "profile": sub.profile, "file_name": sub.file_name,
        "file_sha256": sub.file_sha256, "status": sub.status, "status_on": sub.status_on.isoformat(),
        "reason": sub.reason, "corrects": sub.corrects_id, "changes": sub.changes,
        "change_summary": change_summary(sub.changes), "submitted_on": sub.submitted_on.isoformat(),
        "lines": [{"line": x.line_number, "status": x.status, "reason_code": x.reason_code, "reason": x.reason,
                   "reduced_by_minor": x.reduced_by_minor} for x in sub.lines.all()],
    }


def _show(sub: Any, as_json: bool) -> None:
    if as_json:
        echo_json(submission_json(sub))
    else:
        click.echo(f"submission {sub.pk}: {sub.invoice.number} to {sub.portal} ({sub.ledes_format}, "
                   f"profile {sub.profile}) {sub.status} on {sub.status_on}"
                   + (f": {sub.reason}" if sub.reason else ""))
        if sub.corrects_id:
            click.echo(f"  corrects submission {sub.corrects_id}: {change_summary(sub.changes)}")


@cli.group("ebill")
def ebill() -> None:
    """E-billing: submit invoices to client portals and record the portals' answers."""


@ebill.command("submit")
@click.argument("number")
@click.option("--portal", metavar="NAME", help="Portal (default: the client's e-billing portal).")
@click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False), default=None,
              help="LEDES format (default: the client's, else 1998B).")
@click.option("--profile", "profile_name", metavar="NAME", default=None, help="LEDES dialect (default: the client's).")
@click.option("--replaces", metavar="NUMBER", default=None,
              help="The credited invoice whose rejected submission NUMBER (its re-bill) corrects.")
@firm_option
@json_option
@idempotency_option
def submit_cmd(number: str, portal: str | None, fmt: str | None, profile_name: str | None, replaces: str | None,
               firm: Any, as_json: bool) -> None:
    """Write the invoice's LEDES file, validate it and record it as submitted (a rejected submission is
    resubmitted: its file is written again and must differ from the one rejected; --replaces names the
    credited invoice whose rejected submission this re-bill corrects)."""
    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.ebilling.models import SubmissionStatus
    from lexbill.ebilling.selectors import submission_get, submission_latest, submission_list
    from lexbill.ebilling.services import submission_create, submission_resubmit

    invoice = invoice_by_number(number, cli_actor())
    last = submission_list(invoice=invoice).first()
    if replaces is not None:
        rejected = submission_latest(invoice_by_number(replaces, cli_actor()))
        sub = submission_resubmit(submission=rejected, actor=cli_user(), invoice=invoice, portal=portal,
                                  ledes_format=fmt, profile=profile_name)
    elif last is not None and last.status == SubmissionStatus.REJECTED:
        sub = submission_resubmit(submission=last, actor=cli_user(), portal=portal, ledes_format=fmt,
                                  profile=profile_name)
    else:
        sub = submission_create(invoice=invoice, actor=cli_user(), portal=portal, ledes_format=fmt,
                                profile=profile_name)
    _show(submission_get(sub.pk), as_json)


@ebill.command("status")
@click.argument("number")
@click.option("--accepted", "status", flag_value="accepted", help="The portal accepted the invoice.")
@click.option("--rejected", "status", flag_value="rejected", help="Rejected (whole, or one line with --line).")
@click.option("--reduced", "status", flag_value="reduced", help="One line reduced: --line N --amount X.")
@click.option("--appealed", "status", flag_value="appealed", help="The firm appealed the portal's answer.")
@click.option("--paid", "status", flag_value="paid", help="The client paid.")
@click.option("--reason", default="", metavar="TEXT", help="The portal's reason.")
@click.option("--code", default="", metavar="CODE", help="The portal's reason code for the line.")
@click.option("--line", "line", type=int, default=None, metavar="N", help="LINE_ITEM_NUMBER in the file sent.")
@click.option("--amount", default=None, metavar="X", help="Reduction of the line, e.g. 50.00")
@click.option("--on", "on", metavar="DATE", help="Date of the answer, YYYY-MM-DD (default: today).")
@firm_option
@json_option
@idempotency_option
def status_cmd(number: str, status: str | None, reason: str, code: str, line: int | None, amount: str | None,
               on: str | None, firm: Any, as_json: bool) -> None:
    """Record the portal's answer on the invoice's latest submission."""
    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.ebilling.selectors import submission_get, submission_latest
    from lexbill.ebilling.services import LineAnswer, submission_status_set

    from .commands_invoice import _date

    if status is None:
        raise click.UsageError("give one of --accepted, --rejected, --reduced, --appealed, --paid")
    if status == "reduced" and (line is None or amount is None):
        raise click.UsageError("--reduced needs --line N and --amount X")
    if amount is not None and status != "reduced":
        raise click.UsageError("--amount goes with --reduced")
    invoice = invoice_by_number(number, cli_actor())
    sub = submission_latest(invoice)
    lines = []
    if line is not None:
        reduced = option_amount(amount, invoice.currency) if amount is not None else 0
        lines = [LineAnswer(line, reason=reason, reason_code=code, reduced_by_minor=reduced)]
        reason = ""
    submission_status_set(submission=sub, status=status, actor=cli_user(), reason=reason, lines=lines, on=_date(on))
    _show(submission_get(sub.pk), as_json)


@ebill.command("list")
@click.option("--status", default=None, metavar="S", help="Only submissions in this status.")
@click.option("--portal", default=None, metavar="NAME", help="Only submissions to this portal.")
@firm_option
@json_option
def list_cmd(status: str | None, portal: str | None, firm: Any, as_json: bool) -> None:
    """Submissions, newest first."""
    from lexbill.access import restrict
    from lexbill.ebilling.selectors import submission_list

    subs = list(restrict(cli_actor(), "ebilling", submission_list(status=status, portal=portal))
                .prefetch_related("lines"))
    if as_json:
        echo_json([submission_json(s) for s in subs])
        return
    for s in subs:
        click.echo(f"{s.pk:>5}  {s.invoice.number:<14} {s.invoice.client.code:<10} {s.portal:<20} "
                   f"{s.ledes_format:<7} {s.status:<11} {s.status_on}")
    if not subs:
        click.echo("no submissions")


@ebill.command("writedown")
@click.argument("number")
@click.option("--on", "on", metavar="DATE", help="Credit note date, YYYY-MM-DD (default: today).")
@firm_option
@json_option
@idempotency_option
def writedown_cmd(number: str, on: str | None, firm: Any, as_json: bool) -> None:
    """Write the portal's reductions on the invoice's latest submission down as one credit note."""
    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.core.money import format_money
    from lexbill.ebilling.selectors import submission_latest
    from lexbill.ebilling.services import submission_write_down

    from .commands_invoice import _date

    note = submission_write_down(submission=submission_latest(invoice_by_number(number, cli_actor())), actor=cli_user(),
                                 issued_on=_date(on))
    if as_json:
        echo_json({"credit_note": note.number, "subtotal_minor": note.subtotal_minor,
                   "total_minor": note.total_minor, "reason": note.reason})
    else:
        click.echo(f"credit note {note.number}: {format_money(note.total_minor, note.currency)} ({note.reason})")
