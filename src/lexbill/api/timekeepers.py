"""/timekeepers: the people who bill time. Rates are in the firm's currency."""


from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from lexbill.staff.models import Classification, Timekeeper
from lexbill.staff.selectors import timekeeper_list
from lexbill.staff.services import timekeeper_create, timekeeper_delete, timekeeper_update

from .access import allow
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, minor, patch_changes
from .schemas import ErrorOut, TimekeeperIn, TimekeeperOut, TimekeeperPatch

router = Router(tags=["timekeepers"])


def _timekeepers() -> QuerySet[Timekeeper]:
    # The firm comes along for the currency of the standard rate (one join, not one query a row).
    return timekeeper_list().select_related("firm")


def _fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "standard_rate" in data:
        data["standard_rate_minor"] = minor(data.pop("standard_rate"), request.firm.currency,  # type: ignore[attr-defined]
                                            "standard_rate")
    return data


@router.get("/", response=list[TimekeeperOut])
@paginate(Pagination)
@allow("timekeepers.view")
def list_timekeepers(
    request: HttpRequest, classification: Classification | None = None, is_active: bool | None = None
) -> QuerySet[Timekeeper]:
    timekeepers = _timekeepers()
    if classification:
        timekeepers = timekeepers.filter(classification=classification)
    if is_active is not None:
        timekeepers = timekeepers.filter(is_active=is_active)
    return timekeepers


@router.post("/", response={201: TimekeeperOut, 409: ErrorOut, 422: ErrorOut})
@allow("timekeepers.change")
def create_timekeeper(request: HttpRequest, payload: TimekeeperIn) -> Status:
    fields = _fields(request, payload.dict())
    timekeeper = timekeeper_create(firm=request.firm, actor=actor(request), **fields)  # type: ignore[attr-defined]
    return Status(201, timekeeper)


@router.get("/{timekeeper_id}", response={200: TimekeeperOut, 404: ErrorOut})
@allow("timekeepers.view")
def get_timekeeper(request: HttpRequest, timekeeper_id: ObjectId) -> Timekeeper:
    return get_or_404(_timekeepers(), timekeeper_id, "timekeeper")


@router.patch("/{timekeeper_id}", response={200: TimekeeperOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("timekeepers.change")
def update_timekeeper(request: HttpRequest, timekeeper_id: ObjectId, payload: TimekeeperPatch) -> Timekeeper:
    timekeeper = get_or_404(_timekeepers(), timekeeper_id, "timekeeper")
    changes = _fields(request, patch_changes(payload, blankable={"title"}))
    return timekeeper_update(timekeeper=timekeeper, actor=actor(request), **changes)


@router.delete("/{timekeeper_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
@allow("timekeepers.change")
def delete_timekeeper(request: HttpRequest, timekeeper_id: ObjectId) -> Status:
    timekeeper_delete(timekeeper=get_or_404(_timekeepers(), timekeeper_id, "timekeeper"), actor=actor(request))
    return Status(204, None)
