"""`lexbill time ...`: record and list time."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import click

from .access import cli_actor, cli_user
from .common import echo_json, find_matter, find_timekeeper, firm_command
from .main import cli
from .types import CLOCK, DATE, HOURS


def time_entry_json(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "worked_on": entry.worked_on.isoformat(),
        "timekeeper": entry.timekeeper.initials,
        "matter": entry.matter.number,
        "hours_worked": str(entry.hours_worked),
        "hours_billable": str(entry.hours_billable),
        "narrative": entry.narrative,
        "task_code": entry.task_code,
        "activity_code": entry.activity_code,
        "charge_type": entry.charge_type,
        "status": entry.status,
    }


@cli.group("time")
def time_group() -> None:
    """Time entries."""


@time_group.command("add")
@click.option("--timekeeper", "initials", required=True, metavar="INITIALS")
@click.option("--matter", "matter_number", required=True, metavar="NUMBER")
@click.option("--on", "on", type=DATE, required=True, help="Date worked, YYYY-MM-DD.")
@click.option("--hours", type=HOURS, help="Hours worked, e.g. 1.5")
@click.option("--minutes", type=int, metavar="M", help="Minutes worked")
@click.option("--from", "start", type=CLOCK, help="Start of the work, HH:MM.")
@click.option("--to", "end", type=CLOCK, help="End of the work, HH:MM.")
@click.option("--narrative", required=True, metavar="TEXT")
@click.option("--task", "task_code", default="", metavar="CODE", help="UTBMS task code, e.g. L120")
@click.option("--activity", "activity_code", default="", metavar="CODE", help="UTBMS activity code, e.g. A104")
@click.option("--no-charge", is_flag=True, help="Record as no-charge (shown on the bill at zero).")
@firm_command
def time_add(
    initials: str, matter_number: str, on: date, hours: Decimal | None, minutes: int | None, start: time | None,
    end: time | None, narrative: str, task_code: str, activity_code: str, no_charge: bool, firm: Any, as_json: bool,
) -> None:
    """Record time: --hours, --minutes, or --from/--to. Rounded up to the matter's billing increment."""
    from lexbill.timekeeping.domain import Duration
    from lexbill.timekeeping.models import ChargeType
    from lexbill.timekeeping.services import time_entry_create

    entry = time_entry_create(
        firm=firm, actor=cli_user(),
        matter=find_matter(firm, matter_number),
        timekeeper=find_timekeeper(firm, initials),
        worked_on=on,
        duration=Duration(hours=hours, minutes=minutes, start=start, end=end),
        narrative=narrative, task_code=task_code, activity_code=activity_code,
        charge_type=ChargeType.NO_CHARGE if no_charge else ChargeType.BILLABLE,
    )
    if as_json:
        echo_json(time_entry_json(entry))
    else:
        click.echo(f"recorded {entry.hours_worked} h for {entry.timekeeper.initials} on {entry.matter.number} "
                   f"({entry.worked_on.isoformat()}), entry {entry.pk}")


@time_group.command("list")
@click.option("--matter", "matter_number", metavar="NUMBER")
@click.option("--timekeeper", "initials", metavar="INITIALS")
@click.option("--status", type=click.Choice(["open", "on_prebill", "billed"]))
@click.option("--limit", type=int, default=100, show_default=True)
@firm_command
def time_list(matter_number: str | None, initials: str | None, status: str | None, limit: int, firm: Any,
              as_json: bool) -> None:
    """List recent time entries."""
    from lexbill.timekeeping.selectors import time_entry_list

    # A typo in a filter is not "no time": name what was not found.
    if matter_number:
        matter_number = find_matter(firm, matter_number).number
    if initials:
        initials = find_timekeeper(firm, initials).initials
    entries = list(time_entry_list(matter_number=matter_number, initials=initials, status=status,
                                   actor=cli_actor())[:limit])
    if as_json:
        echo_json([time_entry_json(e) for e in entries])
        return
    for e in entries:
        click.echo(f"{e.pk:>8} {e.worked_on} {e.timekeeper.initials:<5} {e.matter.number:<14} "
                   f"{e.hours_worked:>6} {e.narrative[:60]}")
