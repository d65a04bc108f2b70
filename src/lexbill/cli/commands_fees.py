"""`lexbill matter ...`: fee schedule items, milestones and recoveries.

Amounts are typed in major units of the matter's currency ("12500.00"); JSON shows integer minor units.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from lexbill.core.money import format_money

from .access import cli_user
from .common import echo_json, find_fee_item, find_matter, firm_command, with_amounts
from .main import cli
from .types import AMOUNT, DATE, AmountText


def fee_item_json(item: Any) -> dict[str, Any]:
    return with_amounts({"id": item.pk, "matter": item.matter.number, "description": item.description,
            "amount_minor": item.amount_minor, "currency": item.matter.currency, "task_code": item.task_code,
            "due_on": item.due_on.isoformat() if item.due_on else None, "is_milestone": item.due_on is None,
            "is_milestone_reached": item.is_milestone_reached, "state": getattr(item, "state", None)},
                        item.matter.currency)


def recovery_json(rec: Any) -> dict[str, Any]:
    return with_amounts({"id": rec.pk, "matter": rec.matter.number, "received_on": rec.received_on.isoformat(),
            "amount_minor": rec.amount_minor, "currency": rec.matter.currency, "description": rec.description,
            "share_minor": getattr(rec, "share_minor", None), "state": getattr(rec, "state", None)},
                        rec.matter.currency)


@cli.group()
def matter() -> None:
    """Matters: fee schedules and recoveries."""


@matter.group("fee-item")
def fee_item() -> None:
    """Flat-fee items: scheduled instalments and milestones."""


@fee_item.command("add")
@click.argument("number")
@click.option("--amount", type=AMOUNT, required=True, help="In the matter's currency, e.g. 12500.00")
@click.option("--description", required=True, metavar="TEXT")
@click.option("--due", type=DATE, help="Billable from this date (YYYY-MM-DD).")
@click.option("--milestone", is_flag=True, help="Billable once marked reached.")
@click.option("--phase", "task_code", default="", metavar="CODE", help="UTBMS phase it covers, e.g. L200")
@firm_command
def fee_item_add(number: str, amount: AmountText, description: str, due: date | None, milestone: bool, task_code: str,
                 firm: Any, as_json: bool) -> None:
    """Add a fee item to matter NUMBER: --due DATE or --milestone."""
    from lexbill.billing.services.fees import fee_item_create

    if (due is None) == (not milestone):
        raise click.UsageError("give exactly one of --due DATE and --milestone")
    found = find_matter(firm, number)
    item = fee_item_create(firm=firm, matter=found, description=description,
                           amount_minor=amount.minor(found.currency), due_on=due, task_code=task_code, actor=cli_user())
    if as_json:
        echo_json(fee_item_json(item))
    else:
        when = f"due {item.due_on.isoformat()}" if item.due_on else "milestone"
        click.echo(f"fee item {item.pk} on {found.number}: {item.description}, "
                   f"{format_money(item.amount_minor, found.currency)} ({when})")


@fee_item.command("reached")
@click.argument("item_id", type=int)
@firm_command
def fee_item_reached(item_id: int, firm: Any, as_json: bool) -> None:
    """Mark milestone ITEM_ID reached: the next bill run bills it."""
    from lexbill.billing.services.fees import milestone_reach

    item = milestone_reach(fee_item=find_fee_item(firm, item_id), actor=cli_user())
    if as_json:
        echo_json(fee_item_json(item))
    else:
        click.echo(f"milestone {item.pk} reached: {item.description}")


@fee_item.command("list")
@click.argument("number")
@firm_command
def fee_item_list(number: str, firm: Any, as_json: bool) -> None:
    """The fee schedule of matter NUMBER."""
    from lexbill.billing.selectors_fees import fee_items_of

    found = find_matter(firm, number)
    items = fee_items_of(found)
    if as_json:
        echo_json([fee_item_json(i) for i in items])
        return
    for i in items:
        when = i.due_on.isoformat() if i.due_on else "milestone"
        amount = format_money(i.amount_minor, found.currency)
        click.echo(f"{i.pk:>6}  {when:<10}  {amount:>18}  {i.task_code or '-':<5}  "
                   f"{i.state:<22}  {i.description}")  # type: ignore[attr-defined]


@matter.group("recovery")
def recovery() -> None:
    """Recoveries on contingency matters."""


@recovery.command("add")
@click.argument("number")
@click.option("--amount", type=AMOUNT, required=True, help="In the matter's currency, e.g. 100000.00")
@click.option("--on", "on", type=DATE, required=True, help="Date received, YYYY-MM-DD.")
@click.option("--description", default="", metavar="TEXT")
@firm_command
def recovery_add(number: str, amount: AmountText, on: date, description: str, firm: Any, as_json: bool) -> None:
    """Record money recovered on contingency matter NUMBER."""
    from django.utils import timezone

    from lexbill.billing.services.fees import recovery_create

    found = find_matter(firm, number)
    rec = recovery_create(firm=firm, matter=found, amount_minor=amount.minor(found.currency),
                          received_on=on, description=description, actor=cli_user(),
                          today=timezone.localdate())
    if as_json:
        echo_json(recovery_json(rec))
    else:
        click.echo(f"recovery {rec.pk} on {found.number}: {format_money(rec.amount_minor, found.currency)} "
                   f"received {rec.received_on.isoformat()}")


@recovery.command("list")
@click.argument("number")
@firm_command
def recovery_list(number: str, firm: Any, as_json: bool) -> None:
    """The recoveries of matter NUMBER, with the firm's share."""
    from lexbill.billing.selectors_fees import recoveries_of

    found = find_matter(firm, number)
    rows = recoveries_of(found)
    if as_json:
        echo_json([recovery_json(r) for r in rows])
        return
    for r in rows:
        share = r.share_minor  # type: ignore[attr-defined]
        click.echo(f"{r.pk:>6}  {r.received_on.isoformat()}  {format_money(r.amount_minor, found.currency):>18}  "
                   f"share {format_money(share, found.currency) if share is not None else '-':>18}  "
                   f"{r.state:<22}  {r.description}")  # type: ignore[attr-defined]
