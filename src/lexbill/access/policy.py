"""The role table and the two questions every face asks: may this actor do this (`can`), and if not,
which typed error answers it (`require`).

An action is "<kind>.<verb>". Every kind has "view" and "change"; a kind may add verbs of its own
("prebills.approve", "prebills.answer"). For each action and role the table gives a `Scope`:
ALL rows of the firm, OWN rows only (an attorney's: rows of the timekeepers linked to her user, or of
the matters she is billing attorney of), or NONE. docs/access.md is this table in prose; a test keeps
the two in step.

New record kinds (payments, trust, reports) add a row to `RULES` and, when some role sees only its own
rows, a filter to `OWN_ROWS`; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from django.db.models import Q, QuerySet

from lexbill.core.errors import NotFound, PermissionDenied
from lexbill.core.models import Role

from .actors import Actor


class Scope(Enum):
    NONE = "none"
    OWN = "own"
    ALL = "all"


A, OWN, N = Scope.ALL, Scope.OWN, Scope.NONE
ADMIN, BILLING, ATTORNEY, ACCOUNTING = Role.ADMIN, Role.BILLING, Role.ATTORNEY, Role.ACCOUNTING


def _row(admin: Scope, billing: Scope, attorney: Scope, accounting: Scope) -> dict[str, Scope]:
    # The client role has no row: client users see no staff record (their portal will add its own kinds).
    return {ADMIN: admin, BILLING: billing, ATTORNEY: attorney, ACCOUNTING: accounting}


# action -> role -> scope. Derived from the web pages as they were (the intended rules); the rows the
# web never decided are marked "chosen" in docs/access.md.
RULES: dict[str, dict[str, Scope]] = {
    "firm_settings.view": _row(A, N, N, N),
    "firm_settings.change": _row(A, N, N, N),
    "tax_rates.view": _row(A, A, N, N),
    "tax_rates.change": _row(A, A, N, N),
    "users.view": _row(A, N, N, N),
    "users.change": _row(A, N, N, N),
    "clients.view": _row(A, A, A, A),
    "clients.change": _row(A, A, N, N),
    "matters.view": _row(A, A, A, A),
    "matters.change": _row(A, A, N, N),
    "payors.view": _row(A, A, A, A),
    "payors.change": _row(A, A, N, N),
    "fees.view": _row(A, A, A, A),
    "fees.change": _row(A, A, N, N),
    "timekeepers.view": _row(A, A, A, A),
    "timekeepers.change": _row(A, A, N, N),
    "rates.view": _row(A, A, A, A),
    "rates.change": _row(A, A, N, N),
    "time.view": _row(A, A, OWN, A),
    "time.change": _row(A, A, OWN, N),
    "expenses.view": _row(A, A, OWN, A),
    "expenses.change": _row(A, A, OWN, N),
    "timers.view": _row(A, A, OWN, A),
    "timers.change": _row(A, A, OWN, N),
    "bill_runs.view": _row(A, A, A, A),
    "bill_runs.change": _row(A, A, N, N),
    "prebills.view": _row(A, A, OWN, A),
    "prebills.change": _row(A, A, N, N),
    # Approving or rejecting: the billing attorney of every matter on the pre-bill.
    "prebills.approve": _row(A, A, OWN, N),
    # Answering a reviewer's query: whoever may change the pre-bill or approve it.
    "prebills.answer": _row(A, A, OWN, N),
    "invoices.view": _row(A, A, OWN, A),
    "invoices.change": _row(A, A, N, N),
    "ebilling.view": _row(A, A, OWN, A),
    "ebilling.change": _row(A, A, N, N),
    "exports.view": _row(A, A, N, A),
    "exports.change": _row(A, A, N, N),
    # The audit trail: verifying the chain is a check an accountant makes; sealing pending events is upkeep.
    "audit.view": _row(A, N, N, A),
    "audit.change": _row(A, N, N, N),
}

ROLES_WITH_OWN_ROWS: frozenset[str] = frozenset(
    role for by_role in RULES.values() for role, scope in by_role.items() if scope is Scope.OWN)

KINDS: tuple[str, ...] = tuple(dict.fromkeys(action.split(".")[0] for action in RULES))


def _by_timekeeper(actor: Actor, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(timekeeper_id__in=actor.timekeeper_ids)


def _by_billing_attorney(line_relation: str, current_only: bool) -> Callable[[Actor, QuerySet[Any]], QuerySet[Any]]:
    """Rows of the actor's matters; a consolidated (per-client) document: one with a line of her matter."""

    def own(actor: Actor, rows: QuerySet[Any]) -> QuerySet[Any]:
        ids = actor.timekeeper_ids
        line_filter: dict[str, Any] = {f"{line_relation}__matter__billing_attorney_id__in": ids}
        if current_only:
            line_filter[f"{line_relation}__is_current"] = True
        with_own_line = rows.model._default_manager.filter(**line_filter).values("pk")
        return rows.filter(Q(matter__billing_attorney_id__in=ids) | Q(matter__isnull=True, pk__in=with_own_line))

    return own


def _by_visible_invoice(actor: Actor, rows: QuerySet[Any]) -> QuerySet[Any]:
    """E-billing submissions of the invoices the actor may see."""
    invoices = rows.model._meta.get_field("invoice").related_model._default_manager.all()  # type: ignore[union-attr]
    return rows.filter(invoice_id__in=restrict(actor, "invoices", invoices).values("pk"))


# kind -> how a role with scope OWN narrows the kind's rows (by field paths: access imports no domain model).
OWN_ROWS: dict[str, Callable[[Actor, QuerySet[Any]], QuerySet[Any]]] = {
    "time": _by_timekeeper,
    "expenses": _by_timekeeper,
    "timers": _by_timekeeper,
    "prebills": _by_billing_attorney("lines", current_only=True),
    "invoices": _by_billing_attorney("lines", current_only=False),
    "ebilling": _by_visible_invoice,
}


def scope_of(actor: Actor | None, action: str) -> Scope:
    if action not in RULES:
        raise KeyError(f"no access rule for {action!r}: add it to access.policy.RULES")
    if actor is None or actor.is_operator:
        return Scope.ALL
    return RULES[action].get(actor.role or "", Scope.NONE)


def restrict(actor: Actor | None, kind: str, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of `kind` the actor may see (no query is run here; one filter is added)."""
    scope = scope_of(actor, f"{kind}.view")
    if scope is Scope.ALL:
        return rows
    if scope is Scope.OWN and actor is not None:
        return OWN_ROWS[kind](actor, rows)
    return rows.none()


def _owns(actor: Actor, action: str, obj: Any) -> bool:
    kind = action.split(".")[0]
    if action == "prebills.approve" or action == "prebills.answer":
        return _approves(actor, obj)
    if kind in ("time", "expenses", "timers"):
        # A saved row or one being created: whose time it is (no query).
        return obj.timekeeper_id in actor.timekeeper_ids
    if obj.pk is None:
        return False
    return restrict(actor, kind, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def _approves(actor: Actor, prebill: Any) -> bool:
    """The billing attorney of every matter on the pre-bill (a consolidated one: of every current line's)."""
    if prebill.matter_id is not None:
        return prebill.matter.billing_attorney_id in actor.timekeeper_ids
    attorneys = set(prebill.lines.filter(is_current=True).values_list("matter__billing_attorney_id", flat=True))
    return bool(attorneys) and attorneys <= actor.timekeeper_ids


def can(actor: Actor | None, action: str, obj: Any = None) -> bool:
    """May the actor do `action` (on `obj`, when given)? Without obj: on at least some rows."""
    scope = scope_of(actor, action)
    if scope is Scope.ALL:
        return True
    if scope is Scope.NONE or actor is None:
        return False
    return obj is None or _owns(actor, action, obj)


def require(actor: Actor | None, action: str, obj: Any = None) -> None:
    """Raise unless `can`: NotFound (404) to whoever may not see the record or the kind at all, never a
    hint that it exists; PermissionDenied (403) to a staff member who may see it but not do this."""
    if can(actor, action, obj):
        return
    assert actor is not None  # the operator (None) may do everything
    kind = action.split(".")[0]
    if not actor.is_staff:
        raise NotFound("not found")
    # A role that sees only its own rows of this kind must not learn that another's row exists.
    row_hidden = (obj is not None and getattr(obj, "pk", None) is not None
                  and scope_of(actor, f"{kind}.view") is Scope.OWN and not can(actor, f"{kind}.view", obj))
    if row_hidden:
        raise NotFound("not found")
    own_only = " (only your own)" if scope_of(actor, action) is Scope.OWN and action in _OWN_ROWS_ACTIONS else ""
    raise PermissionDenied(f"your role ({actor.role}) may not {_VERBS.get(action, action)}{own_only}")


_OWN_ROWS_ACTIONS = {"time.change", "expenses.change", "timers.change"}

_VERBS: dict[str, str] = {
    **{f"{kind}.view": f"see {kind.replace('_', ' ')}" for kind in KINDS},
    **{f"{kind}.change": f"change {kind.replace('_', ' ')}" for kind in KINDS},
    "time.change": "change this time",
    "expenses.change": "change this expense",
    "timers.change": "use this timer",
    "prebills.approve": "approve or reject this pre-bill (only the matter's billing attorney or a billing admin)",
    "prebills.answer": "answer queries on this pre-bill",
}
