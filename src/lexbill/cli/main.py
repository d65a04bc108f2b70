"""The `lexbill` command.

Conventions for every command: `--firm SLUG` (defaults to the only firm) on every command that reads a
firm's data, `--json` for machine output on every command that prints records, exit 0 on success, and
exit 1 with ONE line on stderr on any refusal: bad input, an unknown record, and bad usage alike (click's
own usage errors — a missing or unknown option, a bad choice — are printed as one line too). `--help`
prints the help and exits 0.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
    import django

    django.setup()


class OneLineError(click.ClickException):
    """A refusal printed as the house's single line on stderr (`lexbill: error: ...`), exit 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"lexbill: error: {self.message}", err=True)


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error as one line: `--on: "x" is not a date (YYYY-MM-DD)` for a bad value (naming the
    option), click's own sentence and where to read more for the rest (a missing or unknown option)."""
    is_bad_value = isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter)
    param = exc.param if isinstance(exc, click.BadParameter) and exc.param_hint is None else None
    if is_bad_value and param is not None:
        name = (max(param.opts, key=len) if isinstance(param, click.Option) and param.opts
                else (param.human_readable_name or param.name or "value").upper())
        return " ".join(f"{name}: {exc.message}".split())
    message = " ".join(exc.format_message().split())  # click's "Choose from:" lists span lines
    if exc.ctx is not None:
        # "lexbill time add" whatever name the program was started under (tests call it "cli").
        message += f" (see `{' '.join(['lexbill', *exc.ctx.command_path.split()[1:]])} --help`)"
    return message


class LexbillGroup(click.Group):
    """Turns every expected failure into one line on stderr and exit 1, never a traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        # The program's own options (`lexbill --nope`) are read here, before `invoke`.
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise OneLineError(usage_line(exc)) from exc

    def invoke(self, ctx: click.Context) -> object:
        from django.core.exceptions import ValidationError
        from django.db import DatabaseError
        from django_scopes.exceptions import ScopeError

        from lexbill.core.errors import LexbillError

        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:  # `lexbill time` alone: its help, as `--help` would
            raise
        except click.UsageError as exc:  # a subcommand's options, or a command's own "give X or Y"
            raise OneLineError(usage_line(exc)) from exc
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except LexbillError as exc:
            _fail(str(exc))
        except ValidationError as exc:
            _fail("; ".join(exc.messages))
        except (OSError, ValueError) as exc:
            _fail(str(exc))
        except DatabaseError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "no such table" in first or "does not exist" in first:
                _fail("the database is not set up: run `lexbill migrate` (or `lexbill demo`)")
            _fail(f"database error: {first}")
        except ScopeError as exc:  # a programming error, but still no traceback for the user
            _fail(f"internal error: {exc}")
        return None


def _fail(message: str) -> None:
    click.echo(f"lexbill: error: {message}", err=True)
    sys.exit(1)


@click.group(cls=LexbillGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lexbill")
def cli() -> None:
    """lexbill: the billing back office of a law firm."""
    _setup_django()


def _register() -> None:
    # Each module attaches its commands to `cli`.
    from . import (  # noqa: F401
        commands_admin,
        commands_audit,
        commands_billing,
        commands_billrun,
        commands_bulk,
        commands_demo,
        commands_ebill,
        commands_exchange,
        commands_fees,
        commands_invoice,
        commands_invoice_pdf,
        commands_ledes,
        commands_payors,
        commands_prebill,
        commands_search,
        commands_send,
        commands_settings,
        commands_time,
        commands_timer,
        commands_users,
        idempotency,
    )


def main() -> None:
    _register()
    cli(prog_name="lexbill")


if __name__ == "__main__":
    main()
