"""Writes for timekeepers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_delete, record_update

from .models import Timekeeper

TIMEKEEPER_FIELDS = ["initials", "first_name", "last_name", "title", "classification", "standard_rate_minor",
                     "is_active", "user"]


# Checks that apps above staff add for a timekeeper being saved (clients: LEDES field lengths once the firm
# bills in LEDES); staff cannot import them, so they register here from their AppConfig.ready().
TIMEKEEPER_CHECKS: list[Callable[[Timekeeper], None]] = []


def _check(timekeeper: Timekeeper) -> None:
    for check in TIMEKEEPER_CHECKS:
        check(timekeeper)


def _normalise(fields: dict[str, Any]) -> None:
    if "initials" in fields:
        fields["initials"] = str(fields["initials"]).strip().upper()


def timekeeper_create(*, firm: Firm, actor: User | None, **fields: Any) -> Timekeeper:
    enforce(actor, firm, "timekeepers.change")
    fields.setdefault("initials", "")
    _normalise(fields)
    return record_create(Timekeeper(firm=firm, **fields), actor=actor, name="timekeeper", fields=TIMEKEEPER_FIELDS,
                         check=_check)


def timekeeper_update(*, timekeeper: Timekeeper, actor: User | None, **changes: Any) -> Timekeeper:
    enforce(actor, timekeeper.firm_id, "timekeepers.change", timekeeper)
    _normalise(changes)
    return record_update(timekeeper, actor=actor, name="timekeeper", changes=changes, allowed=TIMEKEEPER_FIELDS,
                         check=_check)


def timekeeper_delete(*, timekeeper: Timekeeper, actor: User | None) -> None:
    """Delete a timekeeper with no time, expenses or matters; their rates go with them."""
    enforce(actor, timekeeper.firm_id, "timekeepers.change", timekeeper)
    record_delete(timekeeper, actor=actor, name="timekeeper", fields=TIMEKEEPER_FIELDS,
                  protected=f"timekeeper {timekeeper.initials} has time, expenses or matters; "
                            "mark them inactive instead of deleting")
