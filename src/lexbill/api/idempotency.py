"""`@idempotent` for ninja routes: the `Idempotency-Key` header over `core.idempotency.idempotent_call`.

Put it between `@router.post(...)` and the view. Without the header the route runs as before. With it, the
route runs inside the key's transaction (its service joins it), its answer is stored with the key, and a
retry gets the stored status and body back; the same key with another request is 422. The header is
declared as a parameter, so it shows in the OpenAPI document of every route that takes it.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header
from ninja.responses import NinjaJSONEncoder, Status

from lexbill.core.errors import ValidationFailed
from lexbill.core.idempotency import HEADER, MAX_KEY_LENGTH, fingerprint, idempotent_call

PARAMETER = "idempotency_key"
DESCRIPTION = ("Makes a retry safe: the first answer is stored for 24 hours and returned to every retry with "
               "the same key and request; the same key with a different request is refused (422).")


def _answer(result: Any) -> tuple[int, Any]:
    """The view's answer as (status, JSON-ready body); ninja then shapes it by the route's schema, on the
    first call and on every replay alike."""
    if isinstance(result, HttpResponse):
        raise TypeError("an idempotent route answers data, not a ready-made HttpResponse")
    status, value = (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    return status, json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def _signature(view: Callable[..., Any]) -> inspect.Signature:
    """The view's signature with its annotations resolved in the view's own module (ninja reads the
    wrapper's, whose module globals are these), plus the header parameter."""
    hints = typing.get_type_hints(view, include_extras=True)
    signature = inspect.signature(view)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()]
    params.append(inspect.Parameter(
        PARAMETER, inspect.Parameter.KEYWORD_ONLY, annotation=typing.Optional[str],  # noqa: UP045
        default=Header(None, alias=HEADER, max_length=MAX_KEY_LENGTH, description=DESCRIPTION)))
    return signature.replace(parameters=params, return_annotation=hints.get("return", signature.return_annotation))


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = kwargs.pop(PARAMETER, None)
        if key is None:
            return view(request, *args, **kwargs)
        firm = getattr(request, "firm", None)
        auth = getattr(request, "auth", None)
        if firm is None or auth is None:
            raise ValidationFailed("an idempotency key needs an authenticated request", field=HEADER)
        route = request.get_full_path()
        request_hash = fingerprint(method=request.method or "", route=route, body=request.body,
                                   actor=f"user:{auth.user.pk}")
        outcome = idempotent_call(firm=firm, key=key, request_hash=request_hash, route=f"{request.method} {route}",
                                  perform=lambda: _answer(view(request, *args, **kwargs)))
        return Status(outcome.status, outcome.body)

    wrapper.__signature__ = _signature(view)  # type: ignore[attr-defined]
    return wrapper
