"""`lexbill demo`: a realistic, reproducible firm."""

from __future__ import annotations

from datetime import date

import click

from .common import echo_json, json_option
from .main import cli
from .types import DATE


@cli.command()
@click.option("--size", type=click.Choice(["small", "medium", "large"]), default="small", show_default=True,
              help="small: 8 timekeepers, 3 months; medium: 50, 12 months; large: 1,000 and 2 million entries.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed and as-of date, same firm.")
@click.option("--as-of", "as_of", type=DATE, help="Last day of work, YYYY-MM-DD (default: today).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a firm.")
@click.option("--admin-password", metavar="PASSWORD", help="Password of the demo admin (default: generated).")
@json_option
def demo(size: str, seed: int, as_of: date | None, if_empty: bool, admin_password: str | None, as_json: bool) -> None:
    """Create the demo firm (slug `demo`) with people, clients, matters, rates, time and expenses."""
    from lexbill.core.models import Firm
    from lexbill.demo.generator import demo_create, demo_today

    from .commands_admin import migrate_quietly

    migrate_quietly()
    if if_empty and Firm.objects.exists():
        message = ("the database already has a firm; no demo created. To set a password: "
                   "lexbill user add EMAIL --role admin --password X")
        if as_json:
            echo_json({"created": False, "message": message})
        else:
            click.echo(message)
        return
    day: date = as_of or demo_today()
    result = demo_create(size=size, seed=seed, as_of=day, admin_password=admin_password, progress=True)
    if as_json:
        echo_json({"created": True, **result.as_json()})
        return
    counts = result.counts
    click.echo(f"created {result.firm.name} (slug {result.firm.slug}), {size} size, seed {seed}, "
               f"work up to {day.isoformat()}, in {result.seconds:.1f} s:")
    click.echo(f"  {counts['timekeepers']:,} timekeepers, {counts['clients']:,} clients, {counts['matters']:,} "
               f"matters ({counts['closed_matters']:,} closed), {counts['rates']:,} rates")
    click.echo(f"  {counts['time_entries']:,} time entries, {counts['expenses']:,} expenses")
    click.echo(f"log in at http://127.0.0.1:8000 as {result.admin_email} with password {result.admin_password}")
    _echo_logins(result.logins, result.firm.slug)
    click.echo(f"try: lexbill time add --timekeeper {result.sample_timekeeper} --matter {result.sample_matter} "
               f"--on {day.isoformat()} --hours 0.5 --narrative \"Call with client\"")


SHOWN_LOGINS = 12  # the large firm has 60 attorney logins: name a few, and how to list them all


def _echo_logins(logins: list[dict[str, str]], slug: str) -> None:
    click.echo(f"  every login below has the same password ({len(logins)} in all):")
    for login in logins[:SHOWN_LOGINS]:
        click.echo(f"  {login['email']:<44} {login['role']:<11} {login['name']}")
    if len(logins) > SHOWN_LOGINS:
        click.echo(f"  ... and {len(logins) - SHOWN_LOGINS} more: lexbill user list --firm {slug}")
