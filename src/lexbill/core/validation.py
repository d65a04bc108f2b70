"""Turn Django model validation into our typed errors, with the first bad field named."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .errors import ValidationFailed


def messages_by_field(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: list(exc.messages)}


def validation_failed(exc: ValidationError) -> ValidationFailed:
    by_field = messages_by_field(exc)
    parts = []
    for field, msgs in by_field.items():
        label = "" if field == NON_FIELD_ERRORS else f"{field}: "
        parts.append(label + " ".join(msgs))
    first = next((f for f in by_field if f != NON_FIELD_ERRORS), None)
    return ValidationFailed("; ".join(parts), field=first)


def validate_instance(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """full_clean(), raising ValidationFailed (a LexbillError) instead of Django's ValidationError."""
    try:
        instance.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as exc:
        raise validation_failed(exc) from exc


def apply_changes(instance: models.Model, changes: dict[str, object], allowed: Iterable[str]) -> dict[str, object]:
    """Set allowed fields; refuse unknown ones. Returns {field: old value} of what really changed."""
    allowed = set(allowed)
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(f"cannot change: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    before: dict[str, object] = {}
    for field, value in changes.items():
        old = getattr(instance, field)
        if old != value:
            before[field] = old
            setattr(instance, field, value)
    return before
