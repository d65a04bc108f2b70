"""`lexbill time ...`: record and list time."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import click

from .access import cli_actor, cli_user
from .common import echo_json, firm_option, json_option
from .main import cli


def parse_date(value: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{what} must be YYYY-MM-DD, not {value!r}") from exc


def _parse_clock(value: str | None, flag: str) -> time | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError as exc:
        raise click.BadParameter(f"{flag} must be HH:MM, not {value!r}") from exc


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
@click.option("--on", "on", required=True, metavar="DATE", help="Date worked, YYYY-MM-DD.")
@click.option("--hours", metavar="H", help="Hours worked, e.g. 1.5")
@click.option("--minutes", type=int, metavar="M", help="Minutes worked")
@click.option("--from", "start", metavar="HH:MM")
@click.option("--to", "end", metavar="HH:MM")
@click.option("--narrative", required=True, metavar="TEXT")
@click.option("--task", "task_code", default="", metavar="CODE", help="UTBMS task code, e.g. L120")
@click.option("--activity", "activity_code", default="", metavar="CODE", help="UTBMS activity code, e.g. A104")
@click.option("--no-charge", is_flag=True, help="Record as no-charge (shown on the bill at zero).")
@firm_option
@json_option
def time_add(
    initials: str, matter_number: str, on: str, hours: str | None, minutes: int | None, start: str | None,
    end: str | None, narrative: str, task_code: str, activity_code: str, no_charge: bool, firm: Any, as_json: bool,
) -> None:
    """Record time: --hours, --minutes, or --from/--to. Rounded up to the matter's billing increment."""
    from lexbill.clients.selectors import matter_by_number
    from lexbill.core.hours import hours_to_milli, milli_to_hours
    from lexbill.staff.selectors import timekeeper_by_initials
    from lexbill.timekeeping.domain import Duration
    from lexbill.timekeeping.models import ChargeType
    from lexbill.timekeeping.services import time_entry_create

    try:
        hours_value = milli_to_hours(hours_to_milli(hours)) if hours is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--hours") from exc
    entry = time_entry_create(
        firm=firm, actor=cli_user(),
        matter=matter_by_number(matter_number),
        timekeeper=timekeeper_by_initials(initials),
        worked_on=parse_date(on, "--on"),
        duration=Duration(hours=hours_value, minutes=minutes, start=_parse_clock(start, "--from"),
                          end=_parse_clock(end, "--to")),
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
@firm_option
@json_option
def time_list(matter_number: str | None, initials: str | None, status: str | None, limit: int, firm: Any,
              as_json: bool) -> None:
    """List recent time entries."""
    from lexbill.timekeeping.selectors import time_entry_list

    entries = list(time_entry_list(matter_number=matter_number, initials=initials, status=status,
                                   actor=cli_actor())[:limit])
    if as_json:
        echo_json([time_entry_json(e) for e in entries])
        return
    for e in entries:
        click.echo(f"{e.pk:>8} {e.worked_on} {e.timekeeper.initials:<5} {e.matter.number:<14} "
                   f"{e.hours_worked:>6} {e.narrative[:60]}")
