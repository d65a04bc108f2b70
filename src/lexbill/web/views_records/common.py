"""What the record pages share: the request's firm and actor, pagination, the history box, saving a form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from lexbill.core.models import AuditEvent, Firm

PER_PAGE = 50
HISTORY_LIMIT = 20



def firm_of(request: HttpRequest) -> Firm:
    return cast(Firm, request.firm)  # type: ignore[attr-defined]


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> Page[Any]:
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def choice(request: HttpRequest, name: str, allowed: list[str] | set[str], default: str = "") -> str:
    """A GET filter value, or the default when it is not one of the allowed values (never an error)."""
    value = request.GET.get(name, default)
    return value if value in allowed else default


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    action: str
    changes: list[Change]


def _show(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value)


def history(entity: str, pk: int) -> list[HistoryRow]:
    """The latest audit events of one row, newest first, each as field: before -> after."""
    events = AuditEvent.objects.filter(entity=entity, entity_id=str(pk)).order_by("-pk")[:HISTORY_LIMIT]
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        # A new row's snapshot names every field; its empty ones say nothing worth a line.
        fields = sorted(f for f in set(before) | set(after) if f in before or after.get(f) not in ("", None))
        changes = [Change(f, _show(before.get(f)) if f in before else "", _show(after.get(f))) for f in fields]
        rows.append(HistoryRow(at=event.at, who=event.actor_label, action=event.action, changes=changes))
    return rows
