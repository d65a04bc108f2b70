"""Type-ahead pickers: small JSON searches behind the matter and UTBMS code inputs (static/lexbill/picker.js).

They replace <select>s that listed every open matter (11,183 options for a 10,000-matter firm). Each answers at
most a screenful of rows, only of what the actor may see; the inputs still take a typed number without JS.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from lexbill.clients.code_sets import required_code_sets
from lexbill.clients.selectors import matter_search, visible_matters
from lexbill.codes.loader import code_sets, field_of
from lexbill.codes.rules import required_by_field

from .access import actor_of_request, firm_member_required

LIMIT = 20
CODE_FIELDS = {"task_code", "activity_code", "expense_code"}


@firm_member_required("matters.view")
def matter_picker(request: HttpRequest) -> JsonResponse:
    matters = matter_search(actor=actor_of_request(request), text=request.GET.get("q", "")[:100],
                            open_only=request.GET.get("all") != "1", limit=LIMIT)
    return JsonResponse({"results": [
        {"value": m.number, "label": f"{m.number} · {m.name}", "detail": m.client.name} for m in matters]})


@firm_member_required("matters.view")
def code_picker(request: HttpRequest) -> JsonResponse:
    """Codes for one field (task_code, activity_code, expense_code); with `matter` (its number), only the
    sets that matter requires for the field, as the services check them."""
    field = request.GET.get("field", "task_code")
    if field not in CODE_FIELDS:
        return JsonResponse({"error": f"unknown code field {field!r}"}, status=400)
    text = request.GET.get("q", "").strip().upper()[:100]
    wanted: list[str] = []
    number = request.GET.get("matter", "").strip()
    if number:
        matter = visible_matters(actor_of_request(request)).select_related("client") \
            .filter(number__iexact=number).first()
        if matter is not None:
            wanted = required_by_field(required_code_sets(matter)).get(field, [])
    results = []
    for set_name, codes in code_sets().items():
        if (wanted and set_name not in wanted) or (not wanted and field_of(set_name) != field):
            continue
        for code in codes:
            if code.is_phase:
                continue  # a heading: entries carry one of its task codes
            if text and text not in code.code and text not in code.name.upper():
                continue
            results.append({"value": code.code, "label": f"{code.code} · {code.name}", "detail": set_name})
            if len(results) == LIMIT:
                return JsonResponse({"results": results})
    return JsonResponse({"results": results})

