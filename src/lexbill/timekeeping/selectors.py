from datetime import date

from django.db.models import QuerySet

from .models import Expense, TimeEntry


def time_entry_list(
    *,
    matter_number: str | None = None,
    initials: str | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[TimeEntry]:
    entries = TimeEntry.objects.select_related("matter", "timekeeper", "matter__client")
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


def expense_list(*, matter_number: str | None = None, status: str | None = None) -> QuerySet[Expense]:
    expenses = Expense.objects.select_related("matter", "timekeeper")
    if matter_number:
        expenses = expenses.filter(matter__number=matter_number)
    if status:
        expenses = expenses.filter(status=status)
    return expenses.order_by("-incurred_on", "-id")
