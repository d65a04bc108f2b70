"""/search: find clients, matters, invoices and pre-bills by number or name (the web's search box)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lexbill.billing.selectors_search import MAX_QUERY, SEARCH_LIMIT, search_records

from .access import allow, request_actor

router = Router(tags=["search"])


class HitOut(Schema):
    id: int
    number: str
    name: str
    detail: str


class SearchOut(Schema):
    query: str
    limit: int
    results: dict[str, list[HitOut]]  # clients, matters, invoices, prebills: at most `limit` each
    more: dict[str, bool]  # kind -> there were more than `limit`


# Every staff role may look clients up; the selector narrows each kind to the rows the caller may see.
@router.get("/search", response=SearchOut)
@allow("clients.view")
def search(request: HttpRequest,
           q: str = Query("", max_length=MAX_QUERY,
                          description="part of a number or a name (empty: no results)")) -> dict[str, object]:
    found = search_records(actor=request_actor(request), query=q)
    return {"query": found.query, "limit": SEARCH_LIMIT, "more": found.more,
            "results": {kind: [HitOut(id=h.id, number=h.number, name=h.name, detail=h.detail) for h in hits]
                        for kind, hits in found.hits.items()}}
