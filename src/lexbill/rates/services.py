"""Rate writes and `rate_resolve`, which fetches the candidate rows in one query."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from lexbill.access import enforce
from lexbill.clients.models import Client, Matter
from lexbill.core.errors import RateNotFound
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_delete, record_update
from lexbill.staff.models import Timekeeper

from .domain import RateCandidate, ResolvedRate, classify, resolve_rate
from .models import Rate

RATE_FIELDS = ["timekeeper", "classification", "client", "matter", "effective_on", "rate_minor", "currency", "note"]


def rate_create(*, firm: Firm, actor: User | None, **fields: Any) -> Rate:
    enforce(actor, firm, "rates.change")
    rate = Rate(firm=firm, **fields)
    if not fields.get("currency"):
        # A rate is in the currency of what it applies to.
        owner: Matter | Client | Firm = rate.matter or rate.client or firm
        rate.currency = owner.currency
    return record_create(rate, actor=actor, name="rate", fields=RATE_FIELDS)


def rate_update(*, rate: Rate, actor: User | None, **changes: Any) -> Rate:
    enforce(actor, rate.firm_id, "rates.change", rate)
    return record_update(rate, actor=actor, name="rate", changes=changes, allowed=RATE_FIELDS)


def rate_delete(*, rate: Rate, actor: User | None) -> None:
    enforce(actor, rate.firm_id, "rates.change", rate)
    record_delete(rate, actor=actor, name="rate", fields=RATE_FIELDS)


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


class RateBook:
    """Rate candidates for many (matter, timekeeper) pairs, loaded at once; resolves with `resolve_rate`."""

    def __init__(self, rows: list[dict[str, Any]], firm_currency: str):
        self.firm_currency = firm_currency
        self._index: dict[tuple[Any, ...], list[RateCandidate]] = {}
        for row in rows:
            candidate = RateCandidate(
                level=classify(has_timekeeper=row["timekeeper_id"] is not None,
                               has_matter=row["matter_id"] is not None, has_client=row["client_id"] is not None),
                effective_on=row["effective_on"], rate_minor=row["rate_minor"], currency=row["currency"],
                rate_id=row["id"])
            who = row["timekeeper_id"] if row["timekeeper_id"] is not None else row["classification"]
            where = ("m", row["matter_id"]) if row["matter_id"] else ("c", row["client_id"]) if row["client_id"] else ()
            self._index.setdefault((who, *where), []).append(candidate)

    def candidates(self, *, matter: Matter, timekeeper: Timekeeper) -> list[RateCandidate]:
        keys = [(timekeeper.pk, "m", matter.pk), (timekeeper.pk, "c", matter.client_id), (timekeeper.pk,),
                (timekeeper.classification, "m", matter.pk), (timekeeper.classification, "c", matter.client_id)]
        return [c for key in keys for c in self._index.get(key, ())]

    def resolve(self, *, matter: Matter, timekeeper: Timekeeper, worked_on: date) -> ResolvedRate:
        try:
            return resolve_rate(self.candidates(matter=matter, timekeeper=timekeeper), worked_on=worked_on,
                                currency=matter.currency, standard_rate_minor=timekeeper.standard_rate_minor,
                                standard_currency=self.firm_currency)
        except RateNotFound as exc:
            raise RateNotFound(f"{timekeeper.initials} on matter {matter.number}: {exc}") from exc


def rate_resolve_many(*, firm: Firm, matters: QuerySet[Matter], through_on: date) -> RateBook:
    """Every rate that can apply to work on `matters` up to `through_on`, in one query (bill runs)."""
    rows = Rate.objects.filter(
        Q(matter__in=matters.values("pk"))
        | Q(client__in=matters.values("client_id"), matter__isnull=True)
        | Q(timekeeper__isnull=False, client__isnull=True, matter__isnull=True),
        effective_on__lte=through_on,
    ).values("id", "timekeeper_id", "classification", "client_id", "matter_id", "effective_on", "rate_minor",
             "currency")
    return RateBook([dict(row) for row in rows], firm.currency)
