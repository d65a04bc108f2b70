"""`lexbill prebill approve|reject` and `lexbill invoice issue|list|show|credit` (groups in commands_billing)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from lexbill.core.money import format_money

from .access import cli_actor, cli_user
from .commands_billing import invoice, prebill
from .common import echo_json, firm_option, json_option, option_amount
from .idempotency import idempotency_option


def _date(value: str | None) -> date:
    if value is None:
        from django.utils import timezone

        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"--on must be YYYY-MM-DD, not {value!r}") from exc


def invoice_json(inv: Any, *, lines: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": inv.number, "kind": inv.kind, "client": inv.client.code,
        "matter": inv.matter.number if inv.matter else None, "prebill": inv.prebill_id,
        "credits": inv.credits.number if inv.credits else None, "reason": inv.reason, "currency": inv.currency,
        "issued_on": inv.issued_on.isoformat(), "due_on": inv.due_on.isoformat(), "fees_minor": inv.fees_minor,
        "expenses_minor": inv.expenses_minor, "adjustments_minor": inv.adjustments_minor,
        "subtotal_minor": inv.subtotal_minor, "tax_minor": inv.tax_minor, "total_minor": inv.total_minor,
        "tax_method": inv.tax_method,
    }
    if lines:
        data["lines"] = [{
            "position": x.position, "kind": x.kind, "date": x.on_date.isoformat(), "timekeeper": x.timekeeper_name,
            "hours_billed": x.hours_billed, "rate_minor": x.rate_minor, "base_minor": x.base_minor,
            "adjustment_minor": x.adjustment_minor, "total_minor": x.total_minor, "tax_minor": x.tax_minor,
            "narrative": x.narrative} for x in inv.lines.order_by("position")]
        data["taxes"] = [{"name": t.name, "rate_ppm": t.rate_ppm, "taxable_minor": t.taxable_minor,
                          "tax_minor": t.tax_minor} for t in inv.taxes.order_by("name")]
    return data


@prebill.command("approve")
@click.argument("prebill_ids", type=int, nargs=-1)
@click.option("--all", "approve_all", is_flag=True, help="Approve every pre-bill in draft or in review.")
@click.option("--override-queries", "override_reason", metavar="REASON",
              help="Approve although queries are still open, for this reason (recorded on the pre-bill).")
@firm_option
def prebill_approve_cmd(prebill_ids: tuple[int, ...], approve_all: bool, override_reason: str | None,
                        firm: Any) -> None:
    """Approve pre-bills (draft or in review): by id, or --all.

    A pre-bill with open queries, or with lines missing UTBMS codes its client requires (when the client
    refuses them), is not approved: each is named on stderr, the others are approved, and the exit is 1."""
    from lexbill.billing.models import PreBillStatus
    from lexbill.billing.selectors_prebill import prebill_get, visible_prebills
    from lexbill.billing.services.approval import MissingCodesRefused, OpenQueriesRefused, prebill_approve

    if bool(prebill_ids) == approve_all:
        raise click.UsageError("give pre-bill ids or --all (not both)")
    if approve_all and override_reason is not None:
        # Overriding open queries is a decision about one bill, not about every bill in the firm.
        raise click.UsageError("--override-queries needs the pre-bill ids it is for, not --all")
    if override_reason is not None and not override_reason.strip():
        raise click.UsageError("--override-queries needs a reason")
    actor = cli_user()
    if approve_all:
        prebills = list(visible_prebills(cli_actor()).select_related("client", "matter", "firm")
                        .filter(status__in=[PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW]).order_by("pk"))
    else:
        prebills = [prebill_get(pk, cli_actor()) for pk in prebill_ids]
    refused = 0
    for one in prebills:
        try:
            prebill_approve(prebill=one, actor=actor, operator=actor is None,
                            override_open_queries_reason=override_reason or "")
        except (OpenQueriesRefused, MissingCodesRefused) as exc:
            refused += 1
            click.echo(f"lexbill: error: {exc.message}", err=True)
            continue
        click.echo(f"pre-bill {one.pk} approved")
    if approve_all:
        click.echo(f"{len(prebills) - refused} pre-bill(s) approved" + (f", {refused} refused" if refused else ""))
    if refused:
        sys.exit(1)


@prebill.command("reject")
@click.argument("prebill_id", type=int)
@click.option("--reason", required=True, metavar="TEXT")
@firm_option
def prebill_reject_cmd(prebill_id: int, reason: str, firm: Any) -> None:
    """Send a pre-bill back to draft with a reason."""
    from lexbill.billing.selectors_prebill import prebill_get
    from lexbill.billing.services.approval import prebill_reject

    actor = cli_user()
    done = prebill_reject(prebill=prebill_get(prebill_id, cli_actor()), actor=actor, reason=reason,
                          operator=actor is None)
    click.echo(f"pre-bill {done.pk} rejected: back to draft")


@invoice.command("issue")
@click.argument("prebill_ids", type=int, nargs=-1)
@click.option("--all-approved", is_flag=True, help="Issue every approved pre-bill.")
@click.option("--on", "on", metavar="DATE", help="Issue date, YYYY-MM-DD (default: today).")
@firm_option
@json_option
@idempotency_option
def invoice_issue_cmd(prebill_ids: tuple[int, ...], all_approved: bool, on: str | None, firm: Any,
                      as_json: bool) -> None:
    """Issue approved pre-bills as invoices (each in its own transaction)."""
    from lexbill.billing.selectors_invoice import approved_prebills
    from lexbill.billing.selectors_prebill import prebill_get
    from lexbill.billing.services.issue import invoices_issue

    if bool(prebill_ids) == all_approved:
        raise click.UsageError("give pre-bill ids or --all-approved (not both)")
    issued_on = _date(on)
    prebills = list(approved_prebills()) if all_approved else [prebill_get(pk) for pk in prebill_ids]
    # A split matter's pre-bill gives one invoice per payor.
    issued = [inv for pb in prebills for inv in invoices_issue(prebill=pb, actor=cli_user(), issued_on=issued_on)]
    if as_json:
        echo_json([invoice_json(inv) for inv in issued])
        return
    for inv in issued:
        total = format_money(inv.total_minor, inv.currency)
        click.echo(f"{inv.number}  pre-bill {inv.prebill_id}  {inv.client.code}  {total}")
    click.echo(f"{len(issued)} invoice(s) issued")


@invoice.command("list")
@firm_option
@json_option
def invoice_list_cmd(firm: Any, as_json: bool) -> None:
    """List invoices and credit notes."""
    from lexbill.billing.selectors_invoice import invoice_list

    rows = list(invoice_list(actor=cli_actor()))
    if as_json:
        echo_json([invoice_json(inv) for inv in rows])
        return
    for inv in rows:
        click.echo(f"{inv.number:<16} {inv.kind:<12} {inv.issued_on} {inv.client.code:<10} "
                   f"{format_money(inv.total_minor, inv.currency):>20}")


@invoice.command("show")
@click.argument("number")
@firm_option
@json_option
def invoice_show_cmd(number: str, firm: Any, as_json: bool) -> None:
    """An invoice's lines, taxes and totals."""
    from lexbill.billing.selectors_invoice import invoice_by_number

    inv = invoice_by_number(number, cli_actor())
    data = invoice_json(inv, lines=True)
    if as_json:
        echo_json(data)
        return
    cur = inv.currency
    title = "Credit note" if inv.kind == "credit_note" else "Invoice"
    click.echo(f"{title} {inv.number}  {inv.client.code}  issued {inv.issued_on}  due {inv.due_on}")
    for x in data["lines"]:
        click.echo(f"{x['position']:>3} {x['date']} {x['kind']:<10} {x['timekeeper'][:20]:<20} "
                   f"{format_money(x['total_minor'], cur):>18}  {x['narrative'][:50]}")
    for t in data["taxes"]:
        taxable, tax = format_money(t["taxable_minor"], cur), format_money(t["tax_minor"], cur)
        click.echo(f"    tax {t['name']} on {taxable}: {tax}")
    click.echo(f"    subtotal {format_money(inv.subtotal_minor, cur)}  tax {format_money(inv.tax_minor, cur)}  "
               f"total {format_money(inv.total_minor, cur)}")


@invoice.command("credit")
@click.argument("number")
@click.option("--full", is_flag=True, help="Credit the whole invoice (its work goes back to WIP).")
@click.option("--amount", metavar="X", help="Credit this amount before tax, e.g. 100.00")
@click.option("--reason", required=True, metavar="TEXT")
@click.option("--on", "on", metavar="DATE", help="Credit note date, YYYY-MM-DD (default: today).")
@firm_option
@json_option
@idempotency_option
def invoice_credit_cmd(number: str, full: bool, amount: str | None, reason: str, on: str | None, firm: Any,
                       as_json: bool) -> None:
    """Issue a credit note for an invoice."""
    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.billing.services.credit import credit_note_issue
    if full == (amount is not None):
        raise click.UsageError("give --full or --amount (not both)")
    inv = invoice_by_number(number, cli_actor())
    amount_minor = option_amount(amount, inv.currency) if amount is not None else None
    note = credit_note_issue(invoice=inv, actor=cli_user(), full=full, amount_minor=amount_minor, reason=reason,
                             issued_on=_date(on))
    if as_json:
        echo_json(invoice_json(note, lines=True))
        return
    click.echo(f"credit note {note.number} for {inv.number}: {format_money(note.total_minor, note.currency)}")
