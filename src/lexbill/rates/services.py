"""Rate writes and `rate_resolve`, which fetches the candidate rows in one query."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from lexbill.clients.models import Client, Matter
from lexbill.core.audit import audit_record, snapshot
from lexbill.core.errors import RateNotFound
from lexbill.core.models import Firm
from lexbill.core.validation import apply_changes, validate_instance
from lexbill.staff.models import Timekeeper

from .domain import RateCandidate, ResolvedRate, classify, resolve_rate
from .models import Rate

RATE_FIELDS = ["timekeeper", "classification", "client", "matter", "effective_on", "rate_minor", "currency", "note"]


def rate_create(*, firm: Firm, actor: User | None, **fields: Any) -> Rate:
    rate = Rate(firm=firm, **fields)
    if not fields.get("currency"):
        # A rate is in the currency of what it applies to.
        owner: Matter | Client | Firm = rate.matter or rate.client or firm
        rate.currency = owner.currency
    validate_instance(rate)
    with transaction.atomic():
        rate.save()
        audit_record(firm=firm, actor=actor, action="rate.create", instance=rate, after=snapshot(rate, RATE_FIELDS))
    return rate


def rate_update(*, rate: Rate, actor: User | None, **changes: Any) -> Rate:
    before = apply_changes(rate, changes, RATE_FIELDS)
    if not before:
        return rate
    validate_instance(rate)
    with transaction.atomic():
        rate.save()
        audit_record(firm=rate.firm, actor=actor, action="rate.update", instance=rate,
                     before=before, after={k: getattr(rate, k) for k in before})
    return rate


def rate_delete(*, rate: Rate, actor: User | None) -> None:
    with transaction.atomic():
        audit_record(firm=rate.firm, actor=actor, action="rate.delete", instance=rate,
                     before=snapshot(rate, RATE_FIELDS))
        rate.delete()


def rate_candidates(*, matter: Matter, timekeeper: Timekeeper, worked_on: date) -> list[RateCandidate]:
    rows = Rate.objects.filter(
        Q(timekeeper=timekeeper, matter=matter)
        | Q(timekeeper=timekeeper, client=matter.client_id, matter__isnull=True)
        | Q(timekeeper=timekeeper, client__isnull=True, matter__isnull=True)
        | Q(classification=timekeeper.classification, matter=matter)
        | Q(classification=timekeeper.classification, client=matter.client_id),
        effective_on__lte=worked_on,
    ).values("id", "timekeeper_id", "client_id", "matter_id", "effective_on", "rate_minor", "currency")
    return [
        RateCandidate(
            level=classify(
                has_timekeeper=row["timekeeper_id"] is not None,
                has_matter=row["matter_id"] is not None,
                has_client=row["client_id"] is not None,
            ),
            effective_on=row["effective_on"],
            rate_minor=row["rate_minor"],
            currency=row["currency"],
            rate_id=row["id"],
        )
        for row in rows
    ]


def rate_resolve(*, matter: Matter, timekeeper: Timekeeper, worked_on: date) -> ResolvedRate:
    """The hourly rate for this timekeeper's work on this matter on this date."""
    try:
        return resolve_rate(
            rate_candidates(matter=matter, timekeeper=timekeeper, worked_on=worked_on),
            worked_on=worked_on,
            currency=matter.currency,
            standard_rate_minor=timekeeper.standard_rate_minor,
            standard_currency=matter.firm.currency,
        )
    except RateNotFound as exc:
        raise RateNotFound(f"{timekeeper.initials} on matter {matter.number}: {exc}") from exc
