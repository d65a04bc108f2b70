"""`lexbill invoice send NUMBER ... | --run ID [--to EMAIL ...] [--json]`: email issued invoices."""

from __future__ import annotations

import sys
from typing import Any

import click

from .access import cli_user
from .commands_billing import invoice
from .common import echo_json, firm_option, json_option


def _sent_json(delivery: Any) -> dict[str, Any]:
    return {"number": delivery.invoice.number, "delivery": delivery.pk, "sent_at": delivery.sent_at.isoformat(),
            "recipients": delivery.recipients, "subject": delivery.subject, "attachments": delivery.attachments}


@invoice.command("send")
@click.argument("numbers", nargs=-1, metavar="NUMBER...")
@click.option("--run", "run_id", type=int, metavar="ID", help="Send every unsent invoice issued from this bill run.")
@click.option("--to", "to", multiple=True, metavar="EMAIL",
              help="Send to these addresses instead of the client's billing contacts (with NUMBER only).")
@firm_option
@json_option
def invoice_send_cmd(numbers: tuple[str, ...], run_id: int | None, to: tuple[str, ...], firm: Any,
                     as_json: bool) -> None:
    """Email invoices (or credit notes) with their PDF; sending one again is a resend."""
    from django.utils import timezone

    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.billing.services.send import SendRunResult, bill_run_get, invoice_send
    from lexbill.core.errors import LexbillError

    if bool(numbers) == (run_id is not None):
        raise click.UsageError("give invoice numbers or --run ID (not both)")
    if to and run_id is not None:
        raise click.UsageError("--to applies to invoices named by number, not to --run")
    now = timezone.now()
    if run_id is not None:
        result = _send_run(bill_run_get(run_id), now)
    else:
        # Every number is looked up before anything is sent, so a typo sends nothing.
        invoices = [invoice_by_number(n) for n in numbers]
        result = SendRunResult()
        for one in invoices:
            try:
                result.sent.append(invoice_send(invoice=one, actor=cli_user(), now=now, recipients=list(to) or None))
            except LexbillError as exc:
                result.failed.append((one, str(exc)))
    _report(result, as_json)


def _send_run(run: Any, now: Any) -> Any:
    from tqdm import tqdm

    from lexbill.billing.services.send import invoice_send_run

    bar = tqdm(total=0, unit="invoice", desc=f"sending bill run {run.pk}", file=sys.stderr, leave=False,
               mininterval=0.2)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return invoice_send_run(bill_run=run, actor=cli_user(), now=now, progress=progress)
    finally:
        bar.close()


def _report(result: Any, as_json: bool) -> None:
    if as_json:
        echo_json({"sent": [_sent_json(d) for d in result.sent],
                   "failed": [{"number": inv.number, "error": reason} for inv, reason in result.failed],
                   "already_sent": result.already_sent})
    else:
        for d in result.sent:
            click.echo(f"{d.invoice.number}  sent to {', '.join(d.recipients)}")
        for inv, reason in result.failed:
            click.echo(f"{inv.number}  NOT SENT: {reason}")
        skipped = f", {result.already_sent} already sent before" if result.already_sent else ""
        click.echo(f"{len(result.sent)} sent, {len(result.failed)} failed{skipped}")
    if result.failed:
        click.echo(f"lexbill: error: {len(result.failed)} invoice(s) not sent", err=True)
        sys.exit(1)
