"""Timekeepers: the people who bill time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.core.models import Firm


class Classification(models.TextChoices):
    """LEDES timekeeper classification (the 1998B set; the 2014 six-letter set is mapped on export)."""

    PARTNER = "PT", "Partner"
    ASSOCIATE = "AS", "Associate"
    OF_COUNSEL = "OC", "Of counsel"
    LEGAL_ASSISTANT = "LA", "Legal assistant / paralegal"
    OTHER = "OT", "Other"


class Timekeeper(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="timekeepers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="timekeepers"
    )
    initials = models.CharField(max_length=10)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=100, blank=True)
    classification = models.CharField(max_length=2, choices=Classification.choices)
    standard_rate_minor = models.BigIntegerField(help_text="Standard hourly rate in minor units of the firm's currency")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[Timekeeper] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "initials"], name="timekeeper_unique_initials"),
            models.CheckConstraint(condition=models.Q(standard_rate_minor__gte=0), name="timekeeper_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.initials})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
