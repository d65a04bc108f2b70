"""Find anything: the top bar's search box and its results page, grouped by kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lexbill.billing.selectors_search import KIND_LABELS, SEARCH_LIMIT, search_records
from lexbill.core.errors import ValidationFailed

from .access import actor_of_request, firm_member_required

DETAIL_URLS = {"clients": "client_detail", "matters": "matter_detail", "invoices": "invoice_detail",
               "prebills": "prebill_review"}


# Every staff role may look clients up; the selector narrows each kind to what the actor may see.
@firm_member_required("clients.view")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    error = ""
    try:
        results = search_records(actor=actor_of_request(request), query=query)
    except ValidationFailed as exc:
        error = exc.message
        results = search_records(actor=actor_of_request(request), query="")
    groups = [{"kind": kind, "label": KIND_LABELS[kind], "hits": hits, "more": results.more[kind],
               "url_name": DETAIL_URLS[kind]} for kind, hits in results.hits.items()]
    return render(request, "web/search/results.html", {
        "q": query.strip(), "results": results, "groups": groups, "error": error, "limit": SEARCH_LIMIT,
    }, status=422 if error else 200)
