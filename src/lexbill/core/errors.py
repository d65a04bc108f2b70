"""Typed errors. Views, the API and the CLI map these to clear 4xx messages / exit 1."""


class LexbillError(Exception):
    """Base of every error a user can cause. `code` is stable; the message is for people."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationFailed(LexbillError):
    code = "invalid"


class NotFound(LexbillError):
    code = "not_found"


class PermissionDenied(LexbillError):
    code = "forbidden"


class Conflict(LexbillError):
    code = "conflict"


class RateNotFound(LexbillError):
    code = "rate_not_found"
