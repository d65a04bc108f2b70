"""The one way a service writes a record: validate, save and audit in one transaction.

Services keep their own rules (normalising input, cross-record checks) and hand the write itself to these
three functions, so that every create, update and delete leaves the same audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.db.models import ProtectedError

from .audit import audit_record, snapshot
from .errors import Conflict
from .models import Firm
from .transactions import service_transaction
from .validation import apply_changes, validate_instance

M = TypeVar("M", bound=models.Model)
Check = Callable[[Any], None]


def record_create(instance: M, *, actor: User | None, name: str, fields: list[str], check: Check | None = None,
                  exclude: Iterable[str] | None = None) -> M:
    """Validate and save a new row; audit `<name>.create` with the listed fields."""
    validate_instance(instance, exclude=exclude)
    with service_transaction():
        if check is not None:
            check(instance)  # inside the transaction, so a check can lock what it reads
        instance.save()
        audit_record(firm=instance.firm, actor=actor, action=f"{name}.create",  # type: ignore[attr-defined]
                     instance=instance, after=snapshot(instance, fields))
    return instance


def record_update(instance: M, *, actor: User | None, name: str, changes: dict[str, Any], allowed: list[str],
                  check: Check | None = None, exclude: Iterable[str] | None = None) -> M:
    """Apply the allowed changes; when something really changed, validate, save and audit before/after."""
    before = apply_changes(instance, changes, allowed)
    if not before:
        return instance
    validate_instance(instance, exclude=exclude)
    if check is not None:
        check(instance)
    with service_transaction():
        instance.save()
        audit_record(firm=instance.firm, actor=actor, action=f"{name}.update",  # type: ignore[attr-defined]
                     instance=instance, before=before, after={k: getattr(instance, k) for k in before})
    return instance


def record_delete(instance: models.Model, *, actor: User | None, name: str, fields: list[str],
                  protected: str = "") -> None:
    """Delete and audit the row as it was; rows still referenced raise Conflict with `protected`."""
    try:
        with service_transaction():
            audit_record(firm=instance.firm, actor=actor, action=f"{name}.delete",  # type: ignore[attr-defined]
                         instance=instance, before=snapshot(instance, fields))
            instance.delete()
    except ProtectedError as exc:
        raise Conflict(protected or f"this {name} is still in use") from exc


def settings_update(settings: M, *, owner: models.Model, actor: User | None, action: str, changes: dict[str, Any],
                    allowed: list[str], check: Check | None = None) -> M:
    """Apply the allowed changes to an app's settings row of a firm or a client (`owner`, already locked by the
    caller's service transaction); when something really changed, check, validate, save and audit the change on
    the owner. The settings of one owner kept by several apps all go through here."""
    before = apply_changes(settings, changes, allowed)
    if not before:
        return settings
    if check is not None:
        check(settings)
    validate_instance(settings, exclude=["firm", "client"])
    settings.save()
    firm = owner if isinstance(owner, Firm) else owner.firm  # type: ignore[attr-defined]
    audit_record(firm=firm, actor=actor, action=action, entity=owner._meta.model_name, entity_id=owner.pk,
                 before=before, after={k: getattr(settings, k) for k in before})
    return settings
