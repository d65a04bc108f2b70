"""Every error a caller can cause becomes a 4xx JSON body `{"detail", "code", "field"}`.

Typed `LexbillError`s carry their own code and field. Database and conversion errors that slip past
validation (a constraint, an out-of-range number, a NUL byte PostgreSQL refuses) are the caller's
input too, so they also answer 4xx: the API never answers 500 for bad input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError

from lexbill.core.errors import (
    Conflict,
    LexbillError,
    NotFound,
    PermissionDenied,
    RateNotFound,
    ValidationFailed,
)
from lexbill.core.validation import validation_failed

# ValidationFailed answers 422 like ninja's own schema errors, so a client handles "your input is
# wrong" with one status whether the schema or a business rule refused it.
STATUS_BY_ERROR: dict[type[LexbillError], int] = {
    NotFound: 404,
    Conflict: 409,
    PermissionDenied: 403,
    ValidationFailed: 422,
    RateNotFound: 422,
}


def error_body(detail: str, code: str, field: str | None = None) -> dict[str, str | None]:
    return {"detail": detail, "code": code, "field": field}


def _status_for(exc: Any) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, code: str, field: str | None = None) -> HttpResponse:
        return api.create_response(request, error_body(detail, code, field), status=status)

    def lexbill_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, _status_for(exc), exc.message, exc.code, exc.field)

    def protected(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 409, "other records still refer to this one; remove them first", "protected")

    def integrity(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 409, "this change conflicts with existing records", "conflict")

    def django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        failed = validation_failed(exc)
        return respond(request, 422, failed.message, failed.code, failed.field)

    def bad_value(request: HttpRequest, exc: Any) -> HttpResponse:
        # Conversion errors (a surrogate in a string, a number too big for the column) are input errors.
        return respond(request, 422, f"invalid value: {exc}"[:300], "invalid")

    def missing(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, "not found", "not_found")

    def unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 401, "missing, unknown or revoked API token", "unauthorized")

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 403, str(exc), "forbidden")

    api.add_exception_handler(LexbillError, lexbill_error)
    api.add_exception_handler(ProtectedError, protected)
    api.add_exception_handler(RestrictedError, protected)
    api.add_exception_handler(IntegrityError, integrity)
    api.add_exception_handler(DjangoValidationError, django_validation)
    api.add_exception_handler(DataError, bad_value)
    api.add_exception_handler(ValueError, bad_value)
    api.add_exception_handler(OverflowError, bad_value)
    api.add_exception_handler(ObjectDoesNotExist, missing)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(AuthorizationError, forbidden)
