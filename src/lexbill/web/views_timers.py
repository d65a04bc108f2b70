"""Timers: start, pause, resume and stop a stopwatch; stopping records the time entry.

A user sees and drives only their own timers. The panel is also shown on the grid page; every action
is a plain form post that returns to the page it came from, so it works without JavaScript.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lexbill.core.errors import LexbillError
from lexbill.core.hours import display_hours
from lexbill.timekeeping.models import Timer
from lexbill.timekeeping.services import (
    timer_elapsed_seconds,
    timer_pause,
    timer_resume,
    timer_start,
    timer_stop,
)

from .access import KindAccess as Access
from .access import safe_next, timer_view
from .forms_time import TimerStartForm, add_service_error


def _now() -> datetime:
    """The one clock of these views (tests freeze it here)."""
    return timezone.now()


def clock_display(seconds: int) -> str:
    """H:MM:SS, as time.js shows it while the page is open."""
    minutes, secs = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _my_timers(request: HttpRequest) -> list[Timer]:
    return list(Timer.objects.filter(user=request.user.pk).select_related("matter", "timekeeper")
                .order_by("-started_at", "-created_at"))


def timers_context(request: HttpRequest, access: Access, form: TimerStartForm | None = None) -> dict[str, Any]:
    now = _now()
    timers = _my_timers(request)
    for timer in timers:
        timer.elapsed = timer_elapsed_seconds(timer, now)  # type: ignore[attr-defined]
        timer.elapsed_display = clock_display(timer.elapsed)  # type: ignore[attr-defined]
    if form is None and access.can_edit:
        timekeepers = access.timekeepers()
        mine = next((tk for tk in timekeepers if tk.user_id == request.user.pk), None)
        form = TimerStartForm(initial={"timekeeper": mine}, timekeepers=timekeepers)
    return {"timers": timers, "timer_form": form, "access": access}


def _timer(request: HttpRequest, timer_id: int) -> Timer:
    timer = Timer.objects.select_related("matter", "matter__client", "matter__firm", "timekeeper", "firm", "user") \
        .filter(pk=timer_id, user=request.user.pk).first()
    if timer is None:
        raise Http404
    return timer


@timer_view
def timer_panel(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "web/time/timers.html", {**timers_context(request, access),
                                                    "here": request.get_full_path()})


@timer_view
@require_POST
def timer_start_view(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_edit()
    back = safe_next(request, reverse("timer_panel"))
    form = TimerStartForm(request.POST, timekeepers=access.timekeepers())
    if form.is_valid():
        data = form.cleaned_data
        try:
            timer_start(firm=access.firm, user=request.user, timekeeper=data["timekeeper"],  # type: ignore[arg-type]
                        matter=data["matter"], narrative=data["narrative"].strip(), task_code=data["task_code"],
                        activity_code=data["activity_code"], now=_now())
        except LexbillError as exc:
            messages.error(request, f"Timer not started: {exc.message}")
            add_service_error(form, exc)
        else:
            messages.success(request, f"Timer started on {data['matter'].number}.")
            return redirect(back)
    # Keep what was typed: show the panel again with the form and its errors.
    return render(request, "web/time/timers.html", {**timers_context(request, access, form), "here": back},
                  status=400)


@timer_view
@require_POST
def timer_pause_view(request: HttpRequest, access: Access, timer_id: int) -> HttpResponse:
    access.require_edit()
    timer_pause(timer=_timer(request, timer_id), now=_now())
    return redirect(safe_next(request, reverse("timer_panel")))


@timer_view
@require_POST
def timer_resume_view(request: HttpRequest, access: Access, timer_id: int) -> HttpResponse:
    access.require_edit()
    timer_resume(timer=_timer(request, timer_id), now=_now())
    return redirect(safe_next(request, reverse("timer_panel")))


@timer_view
@require_POST
def timer_stop_view(request: HttpRequest, access: Access, timer_id: int) -> HttpResponse:
    access.require_edit()
    timer = _timer(request, timer_id)
    narrative = request.POST.get("narrative", "").strip() or None
    # Codes typed at the stop replace the timer's; a form without the inputs keeps them.
    codes = {key: request.POST[key].strip() for key in ("task_code", "activity_code") if key in request.POST}
    try:
        entry = timer_stop(timer=timer, actor=request.user, narrative=narrative, now=_now(),  # type: ignore[arg-type]
                           **codes)
    except LexbillError as exc:
        messages.error(request, f"Timer not stopped: {exc.message}")
        return redirect(safe_next(request, reverse("timer_panel")))
    messages.success(request, f"Timer stopped: recorded {display_hours(entry.hours_worked)} h for "
                              f"{entry.timekeeper.initials} on {entry.matter.number} — {entry.narrative}")
    return redirect(f"{reverse('time_grid')}?highlight={entry.pk}#entry-{entry.pk}")
