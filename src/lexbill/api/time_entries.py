"""/time-entries: recorded work. Hours are rounded up to the matter's billing increment."""


from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from lexbill.clients.selectors import matter_by_number
from lexbill.staff.selectors import timekeeper_by_initials
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import EntryStatus, TimeEntry
from lexbill.timekeeping.selectors import time_entry_list
from lexbill.timekeeping.services import time_entry_create, time_entry_delete, time_entry_update

from .access import allow, bound_actor, request_actor
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, patch_changes, related
from .schemas import ErrorOut, TimeEntryIn, TimeEntryOut, TimeEntryPatch

router = Router(tags=["time entries"])


def _entries() -> QuerySet[TimeEntry]:
    return time_entry_list(actor=bound_actor())


def _clock(value: str | None) -> time | None:
    return None if value is None else datetime.strptime(value, "%H:%M").time()


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    if "matter" in data:
        data["matter"] = related(matter_by_number, data["matter"], "matter")
    if "timekeeper" in data:
        data["timekeeper"] = related(timekeeper_by_initials, data["timekeeper"], "timekeeper")
    for key in ("hours_worked", "hours_billable"):
        if data.get(key) is not None:
            data[key] = Decimal(data[key])
    return data


@router.get("/", response=list[TimeEntryOut])
@paginate(Pagination)
@allow("time.view")
def list_time_entries(
    request: HttpRequest,
    matter: str | None = Query(None, max_length=40, description="matter number"),
    timekeeper: str | None = Query(None, max_length=10, description="timekeeper initials"),
    status: EntryStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[TimeEntry]:
    return time_entry_list(matter_number=matter.strip() if matter else None,
                           initials=timekeeper.strip() if timekeeper else None,
                           status=status, date_from=date_from, date_to=date_to, actor=request_actor(request))


@router.post("/", response={201: TimeEntryOut, 409: ErrorOut, 422: ErrorOut})
@allow("time.change")
def create_time_entry(request: HttpRequest, payload: TimeEntryIn) -> Status:
    data = _resolve(payload.dict())
    duration = Duration(
        hours=_decimal(data.pop("hours")),
        minutes=data.pop("minutes"),
        start=_clock(data.pop("start")),
        end=_clock(data.pop("end")),
    )
    entry = time_entry_create(firm=request.firm, actor=actor(request), duration=duration, **data)  # type: ignore[attr-defined]
    return Status(201, entry)


@router.get("/{entry_id}", response={200: TimeEntryOut, 404: ErrorOut})
@allow("time.view")
def get_time_entry(request: HttpRequest, entry_id: ObjectId) -> TimeEntry:
    return get_or_404(_entries(), entry_id, "time entry")


@router.patch("/{entry_id}", response={200: TimeEntryOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("time.change")
def update_time_entry(request: HttpRequest, entry_id: ObjectId, payload: TimeEntryPatch) -> TimeEntry:
    entry = get_or_404(_entries(), entry_id, "time entry")
    changes = _resolve(patch_changes(payload, blankable={"task_code", "activity_code"}))
    return time_entry_update(entry=entry, actor=actor(request), **changes)


@router.delete("/{entry_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
@allow("time.change")
def delete_time_entry(request: HttpRequest, entry_id: ObjectId) -> Status:
    time_entry_delete(entry=get_or_404(_entries(), entry_id, "time entry"), actor=actor(request))
    return Status(204, None)
