"""Find anything: clients, matters, invoices and pre-bills by number or name, under the access policy.

One selector serves the web search page, `GET /api/v1/search` and `lexbill search`. Each kind is one query
(`restrict` narrows it to the rows the actor may see, as every list does), so the query count is constant:
four, whatever the firm's size. Matching is `icontains` (case-insensitive on SQLite and PostgreSQL alike);
each kind returns at most `limit` hits and says whether there were more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from lexbill.access import Actor, restrict
from lexbill.clients.models import Client, Matter
from lexbill.core.errors import ValidationFailed

from .models import Invoice, PreBill

SEARCH_LIMIT = 10
MAX_QUERY = 100
KINDS = ("clients", "matters", "invoices", "prebills")
KIND_LABELS = {"clients": "Clients", "matters": "Matters", "invoices": "Invoices", "prebills": "Pre-bills"}


@dataclass(frozen=True)
class Hit:
    kind: str  # clients / matters / invoices / prebills
    id: int
    number: str  # client code, matter number, invoice number, "PB-<id>"
    name: str  # what people call it
    detail: str  # the client (and matter) it belongs to, status


@dataclass
class SearchResults:
    query: str
    hits: dict[str, list[Hit]] = field(default_factory=dict)  # kind -> hits, in KINDS order
    more: dict[str, bool] = field(default_factory=dict)  # kind -> were there more than the limit?

    @property
    def count(self) -> int:
        return sum(len(hits) for hits in self.hits.values())


def _prebill_id(query: str) -> int | None:
    """`12`, `PB-12` or `pb12` names pre-bill 12 (pre-bills have no number of their own)."""
    text = query.upper().removeprefix("PB").lstrip("-# ")
    return int(text) if text.isdigit() and len(text) < 12 else None


def _first(rows: QuerySet[Any], limit: int) -> tuple[list[Any], bool]:
    found = list(rows[: limit + 1])
    return found[:limit], len(found) > limit


def search_records(*, actor: Actor | None, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """The rows of each kind whose number or name contains `query` (actor None: the operator, every row)."""
    query = " ".join(query.split())
    if len(query) > MAX_QUERY:
        raise ValidationFailed(f"a search is at most {MAX_QUERY} characters", field="q")
    results = SearchResults(query=query, hits={kind: [] for kind in KINDS}, more=dict.fromkeys(KINDS, False))
    if not query:
        return results
    by_client = Q(client__code__icontains=query) | Q(client__name__icontains=query)

    clients, results.more["clients"] = _first(restrict(actor, "clients", Client.objects.filter(
        Q(code__icontains=query) | Q(name__icontains=query))).order_by("name", "pk"), limit)
    results.hits["clients"] = [Hit("clients", c.pk, c.code, c.name, "" if c.is_active else "inactive")
                               for c in clients]

    matters, results.more["matters"] = _first(restrict(actor, "matters", Matter.objects.filter(
        Q(number__icontains=query) | Q(name__icontains=query) | Q(client_matter_id__icontains=query)))
        .select_related("client").order_by("number", "pk"), limit)
    results.hits["matters"] = [Hit("matters", m.pk, m.number, m.name, f"{m.client.name} · {m.get_status_display()}")
                               for m in matters]

    invoices, results.more["invoices"] = _first(restrict(actor, "invoices", Invoice.objects.filter(
        Q(number__icontains=query) | by_client | Q(matter__number__icontains=query)
        | Q(matter__name__icontains=query))).select_related("client", "matter")
        .order_by("-issued_on", "-pk"), limit)
    results.hits["invoices"] = [
        Hit("invoices", i.pk, i.number, i.client.name,
            f"{i.get_kind_display()} · {i.matter.number + ' · ' if i.matter else ''}issued {i.issued_on:%Y-%m-%d}")
        for i in invoices]

    prebill_id = _prebill_id(query)
    prebill_match = by_client | Q(matter__number__icontains=query) | Q(matter__name__icontains=query)
    if prebill_id is not None:
        prebill_match |= Q(pk=prebill_id)
    prebills, results.more["prebills"] = _first(restrict(actor, "prebills", PreBill.objects.filter(prebill_match))
                                                .select_related("client", "matter").order_by("-pk"), limit)
    results.hits["prebills"] = [
        Hit("prebills", p.pk, f"PB-{p.pk}", p.client.name,
            f"{p.matter.number + ' · ' if p.matter else 'consolidated · '}{p.get_status_display()}")
        for p in prebills]
    return results
