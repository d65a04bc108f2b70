"""The `lexbill` command.

Conventions for every command: `--firm SLUG` (defaults to the only firm), `--json` for machine output,
exit 0 on success, 1 with a one-line message on stderr on bad input, 2 on bad usage (click's own).
"""

from __future__ import annotations

import os
import sys

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
    import django

    django.setup()


class LexbillGroup(click.Group):
    """Turns every expected failure into one line on stderr and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from django.core.exceptions import ValidationError
        from django.db import DatabaseError
        from django_scopes.exceptions import ScopeError

        from lexbill.core.errors import LexbillError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.UsageError):
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
        idempotency,
    )


def main() -> None:
    _register()
    cli(prog_name="lexbill")


if __name__ == "__main__":
    main()
