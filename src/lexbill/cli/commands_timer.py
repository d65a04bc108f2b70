"""`lexbill timer ...`: start a stopwatch (with UTBMS codes), list timers, stop one into a time entry.

A timer belongs to a user: with --as, the member's own; as the local operator, the login linked to the
timekeeper. Codes are checked against the matter's required UTBMS sets when the timer starts, as a time
entry's are, and the entry carries them when it stops (or the codes given to `stop`).
"""

from __future__ import annotations

from typing import Any

import click

from .access import cli_actor, cli_user
from .common import echo_json, firm_command
from .main import cli


def timer_json(timer: Any) -> dict[str, Any]:
    return {"id": timer.pk, "matter": timer.matter.number, "timekeeper": timer.timekeeper.initials,
            "narrative": timer.narrative, "task_code": timer.task_code, "activity_code": timer.activity_code,
            "is_running": timer.is_running, "started_at": timer.started_at,
            "accumulated_seconds": timer.accumulated_seconds}


@cli.group("timer")
def timer_group() -> None:
    """Timers: start, list, stop."""


@timer_group.command("start")
@click.option("--timekeeper", "initials", required=True, metavar="INITIALS")
@click.option("--matter", "matter_number", required=True, metavar="NUMBER")
@click.option("--narrative", default="", metavar="TEXT")
@click.option("--task", "task_code", default="", metavar="CODE", help="UTBMS task code, e.g. L120")
@click.option("--activity", "activity_code", default="", metavar="CODE", help="UTBMS activity code, e.g. A104")
@firm_command
def timer_start_command(initials: str, matter_number: str, narrative: str, task_code: str, activity_code: str,
                        firm: Any, as_json: bool) -> None:
    """Start a timer (any other running timer of the same user pauses)."""
    from lexbill.clients.selectors import matter_by_number
    from lexbill.core.errors import ValidationFailed
    from lexbill.staff.selectors import timekeeper_by_initials
    from lexbill.timekeeping.services import timer_start

    timekeeper = timekeeper_by_initials(initials)
    user = cli_user() or timekeeper.user
    if user is None:
        raise ValidationFailed(f"timekeeper {timekeeper.initials} has no login to own the timer: use --as EMAIL")
    timer = timer_start(firm=firm, user=user, timekeeper=timekeeper, matter=matter_by_number(matter_number),
                        narrative=narrative.strip(), task_code=task_code, activity_code=activity_code)
    if as_json:
        echo_json(timer_json(timer))
    else:
        codes = " / ".join(c for c in (timer.task_code, timer.activity_code) if c)
        click.echo(f"timer {timer.pk} started on {timer.matter.number} for {timer.timekeeper.initials}"
                   + (f" ({codes})" if codes else ""))


def _timers() -> Any:
    from lexbill.timekeeping.selectors import visible_timers

    return visible_timers(cli_actor()).select_related("matter", "matter__client", "matter__firm", "timekeeper",
                                                      "firm", "user")


@timer_group.command("list")
@firm_command
def timer_list_command(firm: Any, as_json: bool) -> None:
    """List timers (a member: the ones the role may see)."""
    timers = list(_timers().order_by("-created_at", "-pk"))
    if as_json:
        echo_json([timer_json(t) for t in timers])
        return
    for t in timers:
        state = "running" if t.is_running else "paused"
        click.echo(f"{t.pk:>6} {state:<8} {t.timekeeper.initials:<5} {t.matter.number:<14} "
                   f"{t.task_code:<5} {t.activity_code:<5} {t.narrative[:50]}")


@timer_group.command("stop")
@click.argument("timer_id", type=int)
@click.option("--narrative", default=None, metavar="TEXT", help="Else the timer's narrative.")
@click.option("--task", "task_code", default=None, metavar="CODE", help="Else the timer's task code.")
@click.option("--activity", "activity_code", default=None, metavar="CODE", help="Else the timer's activity code.")
@firm_command
def timer_stop_command(timer_id: int, narrative: str | None, task_code: str | None, activity_code: str | None,
                       firm: Any, as_json: bool) -> None:
    """Stop a timer and record its time entry (a started minute counts; rounded up to the increment)."""
    from lexbill.access import enforce
    from lexbill.core.errors import NotFound
    from lexbill.timekeeping.services import timer_stop

    from .commands_time import time_entry_json

    timer = _timers().filter(pk=timer_id).first()
    if timer is None:
        raise NotFound(f"timer {timer_id} not found")
    enforce(cli_user(), firm, "timers.change", timer)
    entry = timer_stop(timer=timer, actor=cli_user(), narrative=narrative, task_code=task_code,
                       activity_code=activity_code)
    if as_json:
        echo_json(time_entry_json(entry))
    else:
        click.echo(f"recorded {entry.hours_worked} h for {entry.timekeeper.initials} on {entry.matter.number} "
                   f"({entry.worked_on.isoformat()}), entry {entry.pk}")
