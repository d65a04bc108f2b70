"""Helpers shared by the CLI commands: the firm option, JSON output, the active scope."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import wraps
from typing import Any

import click
from django.core.serializers.json import DjangoJSONEncoder


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, cls=_Encoder, indent=2, sort_keys=False))


def firm_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Adds --firm SLUG and --as EMAIL; passes `firm` (a Firm) to the command and runs it inside the firm's
    scope, as the local operator or, with --as, as that member with that member's role (cli.access)."""

    @click.option("--firm", "firm_slug", metavar="SLUG", help="Firm to act on (default: the only firm).")
    @click.option("--as", "as_email", metavar="EMAIL",
                  help="Run as this member of the firm, with their role (default: the local operator).")
    @wraps(func)
    def wrapper(*args: Any, firm_slug: str | None, as_email: str | None, **kwargs: Any) -> Any:
        from lexbill.core.tenancy import firm_by_slug, firm_scope

        from .access import running_as

        firm = firm_by_slug(firm_slug)
        with firm_scope(firm), running_as(firm, as_email):
            return func(*args, firm=firm, **kwargs)

    return wrapper


json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


@contextmanager
def no_scope() -> Iterator[None]:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        yield


def option_amount(text: str, currency: str, option: str = "--amount", *, signed: bool = False) -> int:
    """An amount option in minor units, read by the parser the web and the API use; a refusal names the
    option and ends the command with exit 1 and one line."""
    from lexbill.core.errors import LexbillError, ValidationFailed
    from lexbill.core.money import parse_amount

    try:
        return parse_amount(text, currency, signed=signed, field=option)
    except LexbillError as exc:
        raise ValidationFailed(f"{option}: {exc.message}", field=option) from exc
