"""Who is acting: an `Actor` is built once per request or command and handed to the policy.

Three kinds of actor exist:
- a member of the firm (`actor_for(user, firm)`): the membership's role decides, plus the timekeepers
  linked to the user (an attorney's "own" time, matters and pre-bills are found through them);
- an outsider (a user with no membership in the firm, or anonymous): role None, sees nothing (404);
- the operator (`operator_actor(firm)`): the person at the machine running `lexbill` without `--as`,
  and system tasks (bill-run workers, migrations, the demo). The operator already holds the database,
  so the policy grants it everything; services receive `actor=None` for it (the audit trail says
  "system").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django_scopes import scopes_disabled

from lexbill.core.models import Firm, Membership
from lexbill.core.tenancy import STAFF_ROLES


@dataclass(frozen=True)
class Actor:
    firm: Firm
    user: Any  # a User, or None for the operator and for anonymous callers
    role: str | None
    timekeeper_ids: frozenset[int] = field(default_factory=frozenset)
    is_operator: bool = False

    @property
    def is_staff(self) -> bool:
        return self.is_operator or self.role in STAFF_ROLES

    def __str__(self) -> str:
        who = "operator" if self.is_operator else getattr(self.user, "username", "anonymous")
        return f"{who} ({self.role or 'no role'}) @ {self.firm.slug}"


def operator_actor(firm: Firm) -> Actor:
    return Actor(firm=firm, user=None, role=None, is_operator=True)


def actor_for(user: Any, firm: Firm) -> Actor:
    """The member's actor in this firm: two small queries (the membership, the linked timekeepers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(firm=firm, user=user, role=None)
    with scopes_disabled():
        role = Membership.objects.filter(user=user, firm=firm, is_active=True).values_list("role", flat=True).first()
    return Actor(firm=firm, user=user, role=role, timekeeper_ids=_own_timekeepers(user, firm.pk, role))


def _own_timekeepers(user: Any, firm_id: int, role: str | None) -> frozenset[int]:
    """The timekeepers linked to the user, read only for a role that sees some rows as "own"."""
    from .policy import ROLES_WITH_OWN_ROWS  # the table sits above this module

    if role not in ROLES_WITH_OWN_ROWS:
        return frozenset()
    with scopes_disabled():
        # Through the reverse relation, so that access needs no import of the staff app (it sits below it).
        return frozenset(user.timekeepers.filter(firm_id=firm_id).values_list("pk", flat=True))


def actor_of_membership(membership: Membership) -> Actor:
    """For a face that already holds the membership (the web's middleware): one query, the timekeepers."""
    user = membership.user
    ids = _own_timekeepers(user, membership.firm_id, membership.role)
    return Actor(firm=membership.firm, user=user, role=membership.role, timekeeper_ids=ids)


# The actor the face built for the current request or command. Services receive the *user* (that is
# what the audit trail records); `resolve` finds this actor again instead of re-reading the membership.
_current: ContextVar[Actor | None] = ContextVar("lexbill_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def current_actor() -> Actor | None:
    return _current.get()


def resolve(actor: Any, firm: Firm | int) -> Actor:
    """What a service was given as `actor`, as an Actor: None is the operator, a user is that member.

    `firm` may be the firm or its id (a service holding a row passes `row.firm_id`: no query when the
    face already bound this user's actor for this firm)."""
    if isinstance(actor, Actor):
        return actor
    firm_id = firm if isinstance(firm, int) else firm.pk
    bound = _current.get()
    if actor is None:
        if bound is not None and bound.firm.pk == firm_id:
            # Inside a request or an --as command, None never means the operator: a face that lost its
            # user must not gain every right. Outside (CLI without --as, tasks), it is the operator.
            return bound
        return operator_actor(_firm(firm))
    if bound is not None and bound.firm.pk == firm_id and getattr(bound.user, "pk", None) == getattr(actor, "pk", 0):
        return bound
    return actor_for(actor, _firm(firm))


def _firm(firm: Firm | int) -> Firm:
    if isinstance(firm, Firm):
        return firm
    with scopes_disabled():
        return Firm.objects.get(pk=firm)
