"""/timers: the token user's own stopwatches. Start one (with UTBMS codes), list them, stop one into a time entry.

A timer belongs to the user who started it (as on the web): another user's timer is 404, whatever the role.
Codes are checked against the matter's required sets when the timer starts, as a time entry's are.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lexbill.clients.selectors import matter_by_number
from lexbill.staff.selectors import timekeeper_by_initials
from lexbill.timekeeping.models import Timer
from lexbill.timekeeping.selectors import visible_timers
from lexbill.timekeeping.services import timer_start, timer_stop

from .access import allow, request_actor
from .auth import actor
from .common import ObjectId, get_or_404, related
from .schemas import MAX_TEXT, Code, ErrorOut, InSchema, TimeEntryOut, text

router = Router(tags=["timers"])


class TimerIn(InSchema):
    matter: str = Field(..., min_length=1, max_length=40, description="matter number")
    timekeeper: str = Field(..., min_length=1, max_length=10, description="timekeeper initials")
    narrative: str = text(MAX_TEXT)
    task_code: Code = ""
    activity_code: Code = ""


class TimerStopIn(InSchema):
    narrative: str | None = Field(None, min_length=1, max_length=MAX_TEXT, description="else the timer's")
    task_code: Code | None = Field(None, description="else the timer's")
    activity_code: Code | None = Field(None, description="else the timer's")


class TimerOut(Schema):
    id: int
    matter: str
    timekeeper: str
    narrative: str
    task_code: str
    activity_code: str
    is_running: bool
    started_at: datetime | None
    accumulated_seconds: int

    @staticmethod
    def resolve_matter(obj: Timer) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_timekeeper(obj: Timer) -> str:
        return obj.timekeeper.initials


def _mine(request: HttpRequest):  # type: ignore[no-untyped-def]
    return visible_timers(request_actor(request)).filter(user=actor(request)).select_related(
        "matter", "matter__client", "matter__firm", "timekeeper", "firm", "user")


@router.get("/", response=list[TimerOut])
@allow("timers.view")
def list_timers(request: HttpRequest) -> list[Timer]:
    return list(_mine(request).order_by("-created_at", "-pk"))


@router.post("/", response={201: TimerOut, 409: ErrorOut, 422: ErrorOut})
@allow("timers.change")
def start_timer(request: HttpRequest, payload: TimerIn) -> Status:
    data = payload.dict()
    timer = timer_start(firm=request.firm, user=actor(request),  # type: ignore[attr-defined]
                        matter=related(matter_by_number, data["matter"], "matter"),
                        timekeeper=related(timekeeper_by_initials, data["timekeeper"], "timekeeper"),
                        narrative=data["narrative"], task_code=data["task_code"],
                        activity_code=data["activity_code"])
    return Status(201, timer)


@router.post("/{timer_id}/stop", response={201: TimeEntryOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("timers.change")
def stop_timer(request: HttpRequest, timer_id: ObjectId, payload: TimerStopIn) -> Status:
    timer = get_or_404(_mine(request), timer_id, "timer")
    entry = timer_stop(timer=timer, actor=actor(request), narrative=payload.narrative, task_code=payload.task_code,
                       activity_code=payload.activity_code)
    return Status(201, entry)
