"""Helpers shared by the CLI commands: the firm option, JSON output, the active scope, and the lookups of
the records a command names (one wording for an unknown one: `no matter X in firm F`, exit 1)."""

from __future__ import annotations

import json
import sys
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


def not_found(kind: str, reference: object, firm: Any) -> Exception:
    """The one wording of an unknown reference on the command line: `no matter ACME-9 in firm arnsley`."""
    from lexbill.core.errors import NotFound

    return NotFound(f"no {kind} {reference} in firm {firm.slug}")


def _found(kind: str, reference: object, firm: Any, lookup: Callable[[], Any]) -> Any:
    """The record `lookup` finds (through the selectors the web and the API use, so a row the member may
    not see is as missing as one that never existed), or the one "no KIND REF in firm F" refusal."""
    from lexbill.core.errors import NotFound

    try:
        found = lookup()
    except NotFound:
        found = None
    if found is None:
        raise not_found(kind, reference, firm)
    return found


def find_matter(firm: Any, number: str) -> Any:
    from lexbill.clients.selectors import matter_by_number

    return _found("matter", number, firm, lambda: matter_by_number(number))


def find_client(firm: Any, code: str) -> Any:
    from lexbill.clients.selectors import client_by_code

    return _found("client", code, firm, lambda: client_by_code(code))


def find_timekeeper(firm: Any, initials: str) -> Any:
    from lexbill.staff.selectors import timekeeper_by_initials

    return _found("timekeeper", initials, firm, lambda: timekeeper_by_initials(initials))


def find_invoice(firm: Any, number: str, actor: Any = None) -> Any:
    from lexbill.billing.selectors_invoice import invoice_by_number

    return _found("invoice", number, firm, lambda: invoice_by_number(number, actor))


def find_prebill(firm: Any, prebill_id: int, actor: Any = None) -> Any:
    from lexbill.billing.selectors_prebill import prebill_get

    return _found("pre-bill", prebill_id, firm, lambda: prebill_get(prebill_id, actor))


def find_prebill_detail(firm: Any, prebill_id: int, actor: Any = None) -> Any:
    from lexbill.billing.selectors_prebill import prebill_detail

    return _found("pre-bill", prebill_id, firm, lambda: prebill_detail(prebill_id, actor))


def find_bill_run(firm: Any, bill_run_id: int) -> Any:
    from lexbill.billing.services.send import bill_run_get

    return _found("bill run", bill_run_id, firm, lambda: bill_run_get(bill_run_id))


def find_fee_item(firm: Any, item_id: int) -> Any:
    from lexbill.billing.selectors_fees import fee_item_get

    return _found("fee item", item_id, firm, lambda: fee_item_get(item_id))


def find_tax_rate(firm: Any, rate_id: int) -> Any:
    from lexbill.billing.models import TaxRate

    return _found("tax rate", rate_id, firm, lambda: TaxRate.objects.filter(pk=rate_id).first())


def find_user(firm: Any, email: str) -> Any:
    """A user who is a member of the firm (a user of another firm is as unknown as no user)."""
    from django.contrib.auth import get_user_model

    from lexbill.access import actor_for

    def lookup() -> Any:
        user = get_user_model().objects.filter(username=email.strip().lower()).first()
        actor = actor_for(user, firm) if user is not None else None
        return user if actor is not None and actor.role is not None else None

    return _found("user", email, firm, lookup)


def firm_command(func: Callable[..., Any]) -> Callable[..., Any]:
    """--firm SLUG, --as EMAIL and --json: what every command about one firm's records takes (README)."""
    return firm_option(json_option(func))


def with_amounts(data: Any, currency: str) -> Any:
    """--json output with every `X_minor` integer also given as `X`, a decimal string in major units of
    `currency` ("total_minor": 123450 -> "total": "1234.50"), in nested lines too. The record carries its
    `currency` key; the `_minor` keys stay, so scripts written against them keep working."""
    from lexbill.core.money import amount_text

    if isinstance(data, list):
        return [with_amounts(item, currency) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = with_amounts(value, currency)
        if key.endswith("_minor") and (value is None or (isinstance(value, int) and not isinstance(value, bool))):
            out.setdefault(key.removesuffix("_minor"), None if value is None else amount_text(value, currency))
    return out


@contextmanager
def progress_bar(desc: str, unit: str, total: int = 0) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long work; yields the `progress(done, total)` callback services take."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, leave=False, mininterval=0.2)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()
