"""The CLI's adapter to `lexbill.access`: `--as EMAIL` on every firm command.

Without `--as`, a command runs as the local operator: whoever runs `lexbill` on this machine already
holds the database and its files, so the policy grants the operator everything (services get
`actor=None`; the audit trail says "system"). With `--as EMAIL`, the command runs as that member of the
firm with that member's role: the command's action (the table below) is checked before it runs, lists
show what the member may see, and the services check each row as they do for the web and the API.

Commands that are not about one firm (demo, migrate, serve, worker, firm add/list, ledes validate of a
file, manage) are for the operator only and have no `--as`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import click

# command path (without the program name) -> the action it performs
COMMAND_ACTIONS: dict[str, str] = {
    "audit seal": "audit.change",
    "audit verify": "audit.view",
    "billrun": "bill_runs.change",
    # Bulk: the single action each repeats (the service checks it again, and each item's service too).
    "bulk approve": "prebills.approve",
    "bulk issue": "invoices.change",
    "bulk send": "invoices.change",
    "bulk zip": "invoices.view",
    "client settings": "clients.change",
    "ebill list": "ebilling.view",
    "ebill status": "ebilling.change",
    "ebill submit": "ebilling.change",
    "ebill writedown": "ebilling.change",
    "export": "exports.view",
    "import": "exports.change",
    "firm settings": "firm_settings.change",
    "invoice credit": "invoices.change",
    "invoice issue": "invoices.change",
    "invoice list": "invoices.view",
    "invoice pdf": "invoices.view",
    "invoice send": "invoices.change",
    "invoice show": "invoices.view",
    "ledes export": "invoices.view",
    "matter fee-item add": "fees.change",
    "matter fee-item list": "fees.view",
    "matter fee-item reached": "fees.change",
    "matter payors": "payors.change",
    "matter recovery add": "fees.change",
    "matter recovery list": "fees.view",
    "prebill approve": "prebills.approve",
    "prebill code": "prebills.change",
    "prebill list": "prebills.view",
    "prebill pdf": "prebills.view",
    "prebill reject": "prebills.approve",
    "prebill show": "prebills.view",
    "search": "clients.view",
    "tax add": "tax_rates.change",
    "tax deactivate": "tax_rates.change",
    "tax list": "tax_rates.view",
    "time add": "time.change",
    "time list": "time.view",
    "timer list": "timers.view",
    "timer start": "timers.change",
    "timer stop": "timers.change",
    "token create": "users.change",
    "user add": "users.change",
    "user deactivate": "users.change",
    "user list": "users.view",
    "user reactivate": "users.change",
    "user reset-password": "users.change",
    "user role": "users.change",
}

# The member named by --as, for the services' `actor` (None: the operator).
_member: ContextVar[Any] = ContextVar("lexbill_cli_member", default=None)


def command_path() -> str:
    """`time add` for `lexbill time add ...` (whatever the program is called)."""
    return click.get_current_context().command_path.split(" ", 1)[-1]


def cli_user() -> Any:
    """The user the command runs as, or None for the local operator: pass it as a service's `actor`."""
    return _member.get()


def cli_actor() -> Any:
    """The policy's actor for selectors, or None for the operator (who sees every row)."""
    from lexbill.access import current_actor

    return current_actor() if _member.get() is not None else None


@contextmanager
def running_as(firm: Any, email: str | None) -> Iterator[None]:
    if email is None:
        yield
        return
    from django.contrib.auth import get_user_model

    from lexbill.access import acting_as, actor_for, require
    from lexbill.core.errors import NotFound, ValidationFailed

    action = COMMAND_ACTIONS.get(command_path())
    if action is None:
        raise ValidationFailed(f"`{command_path()}` runs only as the local operator (without --as)")
    user = get_user_model().objects.filter(username=email.strip().lower()).first()
    actor = actor_for(user, firm) if user is not None else None
    if actor is None or actor.role is None:
        raise NotFound(f"no user {email} in firm {firm.slug}")
    require(actor, action)
    token = _member.set(user)
    try:
        with acting_as(actor):
            yield
    finally:
        _member.reset(token)
