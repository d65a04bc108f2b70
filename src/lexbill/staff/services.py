"""Writes for timekeepers: validate, save, audit, in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError

from lexbill.core.audit import audit_record, snapshot
from lexbill.core.errors import Conflict
from lexbill.core.models import Firm
from lexbill.core.validation import apply_changes, validate_instance

from .models import Timekeeper

TIMEKEEPER_FIELDS = ["initials", "first_name", "last_name", "title", "classification", "standard_rate_minor",
                     "is_active", "user"]


def timekeeper_create(*, firm: Firm, actor: User | None, **fields: Any) -> Timekeeper:
    fields["initials"] = str(fields.get("initials", "")).strip().upper()
    timekeeper = Timekeeper(firm=firm, **fields)
    validate_instance(timekeeper)
    with transaction.atomic():
        timekeeper.save()
        audit_record(firm=firm, actor=actor, action="timekeeper.create", instance=timekeeper,
                     after=snapshot(timekeeper, TIMEKEEPER_FIELDS))
    return timekeeper


def timekeeper_update(*, timekeeper: Timekeeper, actor: User | None, **changes: Any) -> Timekeeper:
    if "initials" in changes:
        changes["initials"] = str(changes["initials"]).strip().upper()
    before = apply_changes(timekeeper, changes, TIMEKEEPER_FIELDS)
    if not before:
        return timekeeper
    validate_instance(timekeeper)
    with transaction.atomic():
        timekeeper.save()
        audit_record(firm=timekeeper.firm, actor=actor, action="timekeeper.update", instance=timekeeper,
                     before=before, after={k: getattr(timekeeper, k) for k in before})
    return timekeeper


def timekeeper_delete(*, timekeeper: Timekeeper, actor: User | None) -> None:
    """Delete a timekeeper with no time, expenses or matters; their rates go with them."""
    try:
        with transaction.atomic():
            audit_record(firm=timekeeper.firm, actor=actor, action="timekeeper.delete", instance=timekeeper,
                         before=snapshot(timekeeper, TIMEKEEPER_FIELDS))
            timekeeper.delete()
    except ProtectedError as exc:
        raise Conflict(f"timekeeper {timekeeper.initials} has time, expenses or matters; "
                       "mark them inactive instead of deleting") from exc
