"""Time entries, expenses (disbursements) and running timers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.clients.models import Matter
from lexbill.core.fields import HoursField, ThousandthsField
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper


class ChargeType(models.TextChoices):
    BILLABLE = "billable", "Billable"
    NO_CHARGE = "no_charge", "No charge"  # shown on the invoice at zero
    NON_BILLABLE = "non_billable", "Non-billable"  # internal; never on an invoice


class EntryStatus(models.TextChoices):
    OPEN = "open", "Unbilled (WIP)"
    ON_PREBILL = "on_prebill", "On a pre-bill"
    BILLED = "billed", "Billed"


class CostType(models.TextChoices):
    HARD = "hard", "Hard cost"
    SOFT = "soft", "Soft cost"


class TimeEntry(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="time_entries")
    timekeeper = models.ForeignKey(Timekeeper, on_delete=models.PROTECT, related_name="time_entries")
    worked_on = models.DateField()
    hours_worked = HoursField(help_text="Hours of work done, rounded to the billing increment")
    hours_billable = HoursField(help_text="Hours to bill; kept apart so write-downs never hide work")
    narrative = models.TextField()
    task_code = models.CharField("UTBMS task", max_length=10, blank=True)
    activity_code = models.CharField("UTBMS activity", max_length=10, blank=True)
    charge_type = models.CharField(max_length=20, choices=ChargeType.choices, default=ChargeType.BILLABLE)
    status = models.CharField(max_length=20, choices=EntryStatus.choices, default=EntryStatus.OPEN)
    # Snapshotted when the entry is billed (billing issue); empty while in WIP.
    rate_minor = models.BigIntegerField(null=True, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True)
    source_ref = models.CharField(
        max_length=80, null=True, blank=True, help_text="Key of the row in an imported file (re-import is idempotent)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[TimeEntry] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name_plural = "time entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(hours_worked__gte=0), name="time_hours_worked_not_negative"),
            models.CheckConstraint(condition=models.Q(hours_billable__gte=0), name="time_hours_billable_not_negative"),
            models.CheckConstraint(condition=models.Q(hours_worked__lte=24), name="time_hours_worked_max_day"),
            models.UniqueConstraint(fields=["firm", "source_ref"], name="time_unique_source_ref"),
        ]
        indexes = [
            models.Index(fields=["firm", "matter", "status", "worked_on"], name="time_wip_idx"),
            models.Index(fields=["firm", "timekeeper", "worked_on"], name="time_tk_idx"),
            models.Index(fields=["firm", "worked_on"], name="time_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worked_on} {self.hours_worked} h on {self.matter_id}"


class Expense(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="expenses")
    timekeeper = models.ForeignKey(
        Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="expenses"
    )
    incurred_on = models.DateField()
    expense_code = models.CharField("UTBMS expense code", max_length=10, blank=True)
    description = models.TextField()
    quantity = ThousandthsField(default=1)
    unit_cost_minor = models.BigIntegerField()
    amount_minor = models.BigIntegerField(help_text="round_half_up(quantity x unit cost)")
    cost_type = models.CharField(max_length=10, choices=CostType.choices, default=CostType.HARD)
    charge_type = models.CharField(max_length=20, choices=ChargeType.choices, default=ChargeType.BILLABLE)
    status = models.CharField(max_length=20, choices=EntryStatus.choices, default=EntryStatus.OPEN)
    source_ref = models.CharField(max_length=80, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[Expense] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-incurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="expense_quantity_positive"),
            models.CheckConstraint(condition=models.Q(unit_cost_minor__gte=0), name="expense_unit_cost_not_negative"),
            models.UniqueConstraint(fields=["firm", "source_ref"], name="expense_unique_source_ref"),
        ]
        indexes = [models.Index(fields=["firm", "matter", "status", "incurred_on"], name="expense_wip_idx")]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.description[:40]}"


class Timer(models.Model):
    """A running (or paused) stopwatch; stopping it creates a TimeEntry rounded to the increment."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timers")
    timekeeper = models.ForeignKey(Timekeeper, on_delete=models.CASCADE, related_name="timers")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="timers")
    narrative = models.TextField(blank=True)
    task_code = models.CharField(max_length=10, blank=True)
    activity_code = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="Set while running; empty while paused")
    accumulated_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[Timer] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"timer on {self.matter_id} for {self.timekeeper_id}"

    @property
    def is_running(self) -> bool:
        return self.started_at is not None
