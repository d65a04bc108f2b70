"""`--idempotency-key KEY` for CLI commands, over `core.idempotency.idempotent_call`; `lexbill idempotency purge`.

With a key, the command runs inside the key's transaction (its services join it: all of the command's
writes commit together with the key, or none do), and what it printed is stored as its answer. Running
it again with the same key and the same arguments prints the stored answer and changes nothing; the same
key with other arguments exits 1 and writes nothing. Without a key the command runs as before.

The decorator goes below `@firm_command` (closest to the function), so it sees the firm.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from contextlib import redirect_stdout
from functools import wraps
from typing import Any

import click

from .common import echo_json, json_option
from .main import cli

OPTION_HELP = ("Make a retry safe: the first run's output is kept for 24 hours and printed again by a rerun "
               "with the same key and arguments; the same key with other arguments is refused.")


def _arguments(kwargs: dict[str, Any]) -> bytes:
    """The command's arguments as canonical JSON (the firm by its slug)."""
    shown = {name: (value.slug if name == "firm" else value) for name, value in kwargs.items()}
    return json.dumps(shown, sort_keys=True, default=str).encode()


key_option = click.option("--idempotency-key", "idempotency_key", metavar="KEY", default=None, help=OPTION_HELP)


def keyed_call(*, key: str, arguments: dict[str, Any], perform: Callable[[], Any]) -> Any:
    """Run `perform` (answering a JSON-ready value) once per (firm, key) for this command and arguments;
    a rerun gets the first run's value back. `arguments` holds the firm."""
    from lexbill.core.idempotency import fingerprint, idempotent_call

    # "lexbill invoice credit" whatever name the program was started under.
    command = " ".join(["lexbill", *click.get_current_context().command_path.split()[1:]])
    request_hash = fingerprint(method="CLI", route=command, body=_arguments(arguments), actor="cli")
    outcome = idempotent_call(firm=arguments["firm"], key=key, request_hash=request_hash, route=command,
                              perform=lambda: (0, perform()))
    return outcome.body


def idempotency_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--idempotency-key` for a command whose whole work is one transaction; its output is the answer."""

    @key_option
    @wraps(func)
    def wrapper(*args: Any, idempotency_key: str | None, **kwargs: Any) -> Any:
        if idempotency_key is None:
            return func(*args, **kwargs)

        def perform() -> dict[str, str]:
            printed = io.StringIO()
            with redirect_stdout(printed):
                func(*args, **kwargs)
            return {"stdout": printed.getvalue()}

        answer = keyed_call(key=idempotency_key, arguments=kwargs, perform=perform)
        # Printed once the key and the effect have committed, on the first run and every rerun alike.
        click.echo(answer["stdout"], nl=False)
        return None

    return wrapper


@cli.group("idempotency")
def idempotency() -> None:
    """Idempotency keys kept for API and CLI retries."""


@idempotency.command("purge")
@json_option
def purge_cmd(as_json: bool) -> None:
    """Delete the keys of every firm that are older than their retention (24 hours)."""
    from lexbill.core.idempotency import idempotency_purge

    deleted = idempotency_purge()
    if as_json:
        echo_json({"deleted": deleted})
    else:
        click.echo(f"{deleted} expired idempotency key(s) deleted")
