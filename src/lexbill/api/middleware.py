"""Bind the API token's firm for the whole request.

A django-scopes scope is a context manager, so it cannot be opened in ninja's auth callback and
closed after the view; this middleware opens it around the whole request instead, for `/api/` paths
only (`core.middleware.ActiveFirmMiddleware` leaves those alone). The auth class in `auth.py` then
only checks that a token was bound here.

The request itself runs in autocommit, in no transaction (ADR 0011): each service it calls is its
own durable transaction (`core.transactions.service_transaction`), which validates before it writes and
rolls back whole on a refusal, so a refused write leaves nothing behind without a request-wide
transaction; reads take no lock and, on SQLite, no `BEGIN IMMEDIATE`. A route that needs several writes
calls one service that does them all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope

from lexbill.access import acting_as, actor_for
from lexbill.core.models import ApiToken
from lexbill.core.services import api_token_authenticate
from lexbill.core.tenancy import NO_FIRM, firm_scope

API_PREFIX = "/api/"
# A generated token is "lxb_" + 43 characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 200


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    return raw


def resolve_token(request: HttpRequest) -> ApiToken | None:
    raw = bearer_token(request)
    return api_token_authenticate(raw) if raw else None


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        token = resolve_token(request)
        request.api_token = token  # type: ignore[attr-defined]
        # The policy's actor, built once per request (lexbill.access); services find it again by its user.
        actor = actor_for(token.user, token.firm) if token else None
        request.actor = actor  # type: ignore[attr-defined]
        request.api_role = actor.role if actor else None  # type: ignore[attr-defined]
        request.firm = token.firm if token else None  # type: ignore[attr-defined]
        if token is None:
            # No firm: firm-owned queries see no rows (django-scopes would read None as "every firm").
            with scope(firm=NO_FIRM):
                return self.get_response(request)
        assert actor is not None
        with firm_scope(token.firm), acting_as(actor):
            return self.get_response(request)
