"""/matters: a client's matters, with their fee arrangement. Amounts are in the matter's currency."""


from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from lexbill.clients.models import Matter, MatterStatus
from lexbill.clients.selectors import client_by_code, matter_list
from lexbill.clients.services import matter_create, matter_delete, matter_update
from lexbill.staff.selectors import timekeeper_by_initials

from .access import allow
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, increment_milli, minor, patch_changes, related
from .schemas import ErrorOut, MatterIn, MatterOut, MatterPatch

router = Router(tags=["matters"])

ATTORNEYS = ("billing_attorney", "responsible_attorney", "originating_attorney")


def _matters() -> QuerySet[Matter]:
    return matter_list().select_related("responsible_attorney", "originating_attorney")


def _resolve(data: dict[str, Any], currency: str | None) -> dict[str, Any]:
    """Business keys -> rows, decimal strings -> minor units in the matter's currency."""
    if "client" in data:
        data["client"] = related(client_by_code, data["client"], "client")
    for key in ATTORNEYS:
        if data.get(key) is not None:
            data[key] = related(timekeeper_by_initials, data[key], key)
    if data.get("currency"):
        data["currency"] = data["currency"].upper()
    currency = data.get("currency") or currency or (data["client"].currency if "client" in data else "USD")
    for key in ("fee_amount", "budget"):
        if key in data:
            data[f"{key}_minor"] = minor(data.pop(key), currency, key)
    if "billing_increment" in data:
        data["billing_increment_milli"] = increment_milli(data.pop("billing_increment"))
    return data


@router.get("/", response=list[MatterOut])
@paginate(Pagination)
@allow("matters.view")
def list_matters(
    request: HttpRequest,
    client: str | None = Query(None, max_length=30, description="client code"),
    status: MatterStatus | None = None,
    billing_attorney: str | None = Query(None, max_length=10, description="timekeeper initials"),
) -> QuerySet[Matter]:
    matters = _matters()
    if client:
        matters = matters.filter(client__code=client.strip())
    if status:
        matters = matters.filter(status=status)
    if billing_attorney:
        matters = matters.filter(billing_attorney__initials=billing_attorney.strip().upper())
    return matters


@router.post("/", response={201: MatterOut, 409: ErrorOut, 422: ErrorOut})
@allow("matters.change")
def create_matter(request: HttpRequest, payload: MatterIn) -> Status:
    data = _resolve(payload.dict(), None)
    matter = matter_create(firm=request.firm, actor=actor(request), **data)  # type: ignore[attr-defined]
    return Status(201, matter)


@router.get("/{matter_id}", response={200: MatterOut, 404: ErrorOut})
@allow("matters.view")
def get_matter(request: HttpRequest, matter_id: ObjectId) -> Matter:
    return get_or_404(_matters(), matter_id, "matter")


@router.patch("/{matter_id}", response={200: MatterOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("matters.change")
def update_matter(request: HttpRequest, matter_id: ObjectId, payload: MatterPatch) -> Matter:
    matter = get_or_404(_matters(), matter_id, "matter")
    changes = patch_changes(
        payload,
        nullable={"responsible_attorney", "originating_attorney", "closed_on", "fee_amount", "fee_percent_bp",
                  "billing_increment", "budget"},
        blankable={"client_matter_id", "description"},
    )
    return matter_update(matter=matter, actor=actor(request), **_resolve(changes, matter.currency))


@router.delete("/{matter_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
@allow("matters.change")
def delete_matter(request: HttpRequest, matter_id: ObjectId) -> Status:
    matter_delete(matter=get_or_404(_matters(), matter_id, "matter"), actor=actor(request))
    return Status(204, None)
