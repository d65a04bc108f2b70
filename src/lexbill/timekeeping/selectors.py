from datetime import date

from django.db.models import QuerySet

from lexbill.access import Actor, restrict

from .models import Expense, TimeEntry, Timer


def time_entry_list(
    *,
    matter_number: str | None = None,
    initials: str | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: Actor | None = None,
) -> QuerySet[TimeEntry]:
    entries = visible_time_entries(actor).select_related("matter", "timekeeper", "matter__client")
    if matter_number:
        entries = entries.filter(matter__number=matter_number)
    if initials:
        entries = entries.filter(timekeeper__initials=initials.upper())
    if status:
        entries = entries.filter(status=status)
    if date_from:
        entries = entries.filter(worked_on__gte=date_from)
    if date_to:
        entries = entries.filter(worked_on__lte=date_to)
    return entries.order_by("-worked_on", "-id")


def expense_list(*, matter_number: str | None = None, status: str | None = None,
                 actor: Actor | None = None) -> QuerySet[Expense]:
    expenses = visible_expenses(actor).select_related("matter", "timekeeper")
    if matter_number:
        expenses = expenses.filter(matter__number=matter_number)
    if status:
        expenses = expenses.filter(status=status)
    return expenses.order_by("-incurred_on", "-id")


# The rows an actor may see (None: the operator, every row). See lexbill.access.


def visible_time_entries(actor: Actor | None) -> QuerySet[TimeEntry]:
    return restrict(actor, "time", TimeEntry.objects.all())


def visible_expenses(actor: Actor | None) -> QuerySet[Expense]:
    return restrict(actor, "expenses", Expense.objects.all())


def visible_timers(actor: Actor | None) -> QuerySet[Timer]:
    return restrict(actor, "timers", Timer.objects.all())
