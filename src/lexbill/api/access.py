"""The API's adapter to `lexbill.access`: every route names the action it performs.

`@allow("clients.change")` asks the policy before the route runs (403 for a role that may only read,
404 for one that may not see the kind of record at all); row-level rules (an attorney's own time,
pre-bills, invoices) are applied by the visible querysets the routes read through and by the services.
The action is kept on the view, so the access matrix test can list what each route claims to do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from ninja.signature.utils import get_typed_signature

from lexbill.access import Actor, current_actor, require

F = TypeVar("F", bound=Callable[..., Any])


def request_actor(request: HttpRequest) -> Actor:
    return cast(Actor, request.actor)  # type: ignore[attr-defined]


def allow(action: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            require(request_actor(request), action)
            return view(request, *args, **kwargs)

        # ninja reads the route's parameters from the signature and resolves string annotations in the
        # function's module; give it the view's own, resolved there, not this module's.
        wrapped.__signature__ = get_typed_signature(view)  # type: ignore[attr-defined]
        wrapped.access_action = action  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def bound_actor() -> Actor:
    """The actor the middleware bound for this request; never silently the operator."""
    actor = current_actor()
    if actor is None:
        raise RuntimeError("no actor bound: API views run inside ApiTokenMiddleware")
    return actor
