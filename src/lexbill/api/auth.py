"""The ninja auth class: accepts the token `middleware.ApiTokenMiddleware` already checked and bound."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from lexbill.core.models import ApiToken
from lexbill.core.tenancy import STAFF_ROLES


class FirmTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; declared in OpenAPI as a bearer scheme."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        bound: ApiToken | None = getattr(request, "api_token", None)
        if bound is None:
            return None  # ninja answers 401
        if getattr(request, "api_role", None) not in STAFF_ROLES:
            # Client users will get their own portal endpoints; staff records are not theirs to read.
            raise AuthorizationError(message="this token's role cannot use staff endpoints")
        return bound


def actor(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The user the token belongs to, for audit events."""
    return request.auth.user  # type: ignore[attr-defined]
