"""One access policy for every face: who may see and change what.

Faces (web, API, CLI) build an `Actor` once per request or command and ask `require(actor, action,
obj)`; domain selectors narrow querysets with `restrict(actor, kind, rows)`; services given a user (not
the operator's None) check the same rules with `enforce`. docs/access.md is the role table in prose.

This app sits just above `core` and imports no domain app: its rules name field paths, not models.
"""

from __future__ import annotations

from typing import Any

from lexbill.core.models import Firm

from .actors import Actor, acting_as, actor_for, actor_of_membership, current_actor, operator_actor, resolve
from .policy import KINDS, RULES, Scope, can, require, restrict, scope_of


def enforce(actor: Any, firm: Firm | int, action: str, obj: Any = None) -> Actor:
    """For services: `actor` is what the face passed (a user, an Actor, or None for the operator);
    `firm` is the firm or its id. Returns the resolved actor, for row checks that follow."""
    resolved = resolve(actor, firm)
    require(resolved, action, obj)
    return resolved


__all__ = [
    "KINDS", "RULES", "Actor", "Scope", "acting_as", "actor_for", "actor_of_membership", "can", "current_actor",
    "enforce", "operator_actor", "require", "resolve", "restrict", "scope_of",
]
