"""`lexbill invoice send NUMBER ... | --run ID [--to EMAIL ...] [--json]`: email issued invoices."""

from __future__ import annotations

import sys
from typing import Any

import click

from .access import cli_user
from .commands_billing import invoice
from .common import echo_json, find_bill_run, find_invoice, firm_command, progress_bar
from .idempotency import key_option, keyed_call


def _sent_json(delivery: Any) -> dict[str, Any]:
    return {"number": delivery.invoice.number, "delivery": delivery.pk, "sent_at": delivery.sent_at.isoformat(),
            "recipients": delivery.recipients, "subject": delivery.subject, "attachments": delivery.attachments}


@invoice.command("send")
@click.argument("numbers", nargs=-1, metavar="NUMBER...")
@click.option("--run", "run_id", type=int, metavar="ID", help="Send every unsent invoice issued from this bill run.")
@click.option("--to", "to", multiple=True, metavar="EMAIL",
              help="Send to these addresses instead of the client's billing contacts (with NUMBER only).")
@key_option
@firm_command
def invoice_send_cmd(numbers: tuple[str, ...], run_id: int | None, to: tuple[str, ...], firm: Any,
                     as_json: bool, idempotency_key: str | None) -> None:
    """Email invoices (or credit notes) with their PDF; sending one again is a resend."""
    from django.utils import timezone

    from lexbill.billing.services.send import SendRunResult, invoice_send
    from lexbill.core.errors import LexbillError

    if bool(numbers) == (run_id is not None):
        raise click.UsageError("give invoice numbers or --run ID (not both)")
    if to and run_id is not None:
        raise click.UsageError("--to applies to invoices named by number, not to --run")
    now = timezone.now()
    if idempotency_key is not None:
        result = _send_keyed(idempotency_key, {"firm": firm, "numbers": list(numbers), "run": run_id, "to": list(to)},
                             now)
    elif run_id is not None:
        result = _send_run(find_bill_run(firm, run_id), now)
    else:
        # Every number is looked up before anything is sent, so a typo sends nothing.
        invoices = [find_invoice(firm, n) for n in numbers]
        result = SendRunResult()
        for one in invoices:
            try:
                result.sent.append(invoice_send(invoice=one, actor=cli_user(), now=now, recipients=list(to) or None))
            except LexbillError as exc:
                result.failed.append((one, str(exc)))
    _report(result, as_json)


def _send_keyed(key: str, arguments: dict[str, Any], now: Any) -> Any:
    """With a key, the deliveries to make are recorded (PENDING) with the key in one transaction; then each
    is sent. A rerun with the key finds the same deliveries: it sends again only those not yet accepted
    by the mail server (FAILED, or PENDING after a crash) and never a SENT one."""
    from lexbill.billing.models import Delivery, DeliveryStatus
    from lexbill.billing.services.send import (
        SendRunResult,
        delivery_prepare,
        delivery_retry,
        unsent_invoices_of_run,
    )
    from lexbill.core.errors import LexbillError

    def prepare() -> dict[str, Any]:
        run_id, to = arguments["run"], arguments["to"]
        firm = arguments["firm"]
        invoices = (unsent_invoices_of_run(find_bill_run(firm, run_id)) if run_id is not None
                    else [find_invoice(firm, n) for n in arguments["numbers"]])
        made, refused = [], []
        for one in invoices:
            try:
                made.append(delivery_prepare(invoice=one, actor=None, now=now, recipients=to or None).pk)
            except LexbillError as exc:  # refused before anything was written for this invoice
                refused.append([one.pk, str(exc)])
        return {"deliveries": made, "refused": refused}

    planned = keyed_call(key=key, arguments=arguments, perform=prepare)
    result = SendRunResult()
    for delivery in Delivery.objects.select_related("invoice").filter(pk__in=planned["deliveries"]).order_by("pk"):
        if delivery.status == DeliveryStatus.SENT:
            result.sent.append(delivery)
            continue
        try:
            result.sent.append(delivery_retry(delivery=delivery, actor=None, now=now))
        except LexbillError as exc:
            result.failed.append((delivery.invoice, str(exc)))
    invoices = {inv.pk: inv for inv in _invoices([pk for pk, _ in planned["refused"]])}
    result.failed += [(invoices[pk], reason) for pk, reason in planned["refused"]]
    return result


def _invoices(ids: list[int]) -> Any:
    from lexbill.billing.models import Invoice

    return Invoice.objects.filter(pk__in=ids)


def _send_run(run: Any, now: Any) -> Any:
    from lexbill.billing.services.send import invoice_send_run

    with progress_bar(f"sending bill run {run.pk}", "invoice") as progress:
        return invoice_send_run(bill_run=run, actor=cli_user(), now=now, progress=progress)


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
