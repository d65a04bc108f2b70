"""Set-up commands: migrate, firm, user, token, serve, manage."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from .common import echo_json, find_user, firm_command, json_option
from .main import cli

if TYPE_CHECKING:
    from lexbill.core.models import Firm


def migrate_quietly() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@cli.command()
def migrate() -> None:
    """Create or update the database tables."""
    migrate_quietly()
    click.echo("database is up to date")


@cli.group()
def firm() -> None:
    """Firms (tenants)."""


@firm.command("add")
@click.argument("name")
@click.option("--slug")
@click.option("--currency", default="USD", show_default=True)
@json_option
def firm_add(name: str, slug: str | None, currency: str, as_json: bool) -> None:
    """Create a firm."""
    from lexbill.core.services import firm_create

    created = firm_create(name=name, slug=slug, currency=currency)
    if as_json:
        echo_json({"id": created.pk, "name": created.name, "slug": created.slug})
    else:
        click.echo(f"created firm {created.name} ({created.slug})")


@firm.command("list")
@json_option
def firm_list(as_json: bool) -> None:
    """List firms."""
    from lexbill.core.models import Firm

    rows = [{"slug": f.slug, "name": f.name, "currency": f.currency} for f in Firm.objects.all()]
    if as_json:
        echo_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['slug']:<24} {row['name']} ({row['currency']})")


@cli.group()
def user() -> None:
    """Users and their roles."""


@user.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["admin", "billing", "attorney", "accounting", "client"]))
@click.option("--password", help="Set this password instead of printing a one-time one.")
@firm_command
def user_add_cmd(email: str, role: str, password: str | None, firm: Firm, as_json: bool) -> None:
    """Add a user to the firm with a role (prints a one-time password unless --password is given)."""
    from lexbill.core.services import user_add

    added, generated = user_add(firm=firm, email=email, role=role, password=password)
    if as_json:
        echo_json({"email": added.email, "role": role, "firm": firm.slug, "password": generated})
    else:
        click.echo(f"{added.email} is {role} in {firm}")
        if generated:
            click.echo(f"one-time password: {generated}")


@cli.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--user", "email", required=True, help="Email of the user the token acts as.")
@click.option("--name", default="", help="A label for the token.")
@firm_command
def token_create(email: str, name: str, firm: Firm, as_json: bool) -> None:
    """Create an API token bound to a user and the firm; prints it once."""
    from lexbill.core.services import api_token_create

    found = find_user(firm, email)
    _, raw = api_token_create(firm=firm, user=found, name=name)
    if as_json:
        echo_json({"token": raw})
    else:
        click.echo(raw)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve lexbill with gunicorn (a production server); static files are served by WhiteNoise."""
    migrate_quietly()
    args = [
        sys.executable, "-m", "gunicorn", "lexbill.config.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-",
    ]
    os.execv(sys.executable, args)  # noqa: S606  (replace this process with gunicorn)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (for administrators)."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lexbill manage", *args])


@cli.command()
def worker() -> None:
    """Run background tasks (bill runs started from the web, batch sending) until stopped."""
    from django.core.management import call_command

    migrate_quietly()
    call_command("db_worker")
