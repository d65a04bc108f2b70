"""Effective-dated hourly rates.

Precedence for (matter, timekeeper, date worked), highest first (see rates/domain.py):
matter + timekeeper > client + timekeeper > matter + classification > client + classification >
timekeeper standard (dated rows with only a timekeeper) > Timekeeper.standard_rate_minor.
"""

from __future__ import annotations

from django.db import models
from django_scopes import ScopedManager

from lexbill.clients.models import Client, Matter
from lexbill.core.currencies import CurrencyField
from lexbill.core.models import Firm
from lexbill.staff.models import Classification, Timekeeper


class Rate(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="rates")
    timekeeper = models.ForeignKey(Timekeeper, null=True, blank=True, on_delete=models.CASCADE, related_name="rates")
    classification = models.CharField(max_length=2, choices=Classification.choices, blank=True)
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.CASCADE, related_name="rates")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.CASCADE, related_name="rates")
    effective_on = models.DateField()
    rate_minor = models.BigIntegerField()
    currency = CurrencyField(default="USD")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[Rate] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-effective_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_minor__gte=0), name="rate_not_negative"),
            # A rate is for a timekeeper or for a classification, never both, never neither.
            models.CheckConstraint(
                condition=(models.Q(timekeeper__isnull=False) & models.Q(classification=""))
                | (models.Q(timekeeper__isnull=True) & ~models.Q(classification="")),
                name="rate_timekeeper_xor_classification",
            ),
            # A classification rate belongs to a client or a matter (the firm-wide rate is the standard rate).
            models.CheckConstraint(
                condition=models.Q(classification="") | models.Q(client__isnull=False) | models.Q(matter__isnull=False),
                name="rate_classification_needs_client_or_matter",
            ),
            # A rate is either client-wide or matter-specific, not both.
            models.CheckConstraint(
                condition=models.Q(client__isnull=True) | models.Q(matter__isnull=True),
                name="rate_client_xor_matter",
            ),
        ]
        indexes = [
            models.Index(fields=["firm", "timekeeper", "effective_on"], name="rate_tk_idx"),
            models.Index(fields=["firm", "matter", "effective_on"], name="rate_matter_idx"),
            models.Index(fields=["firm", "client", "effective_on"], name="rate_client_idx"),
        ]

    def __str__(self) -> str:
        who = self.timekeeper.initials if self.timekeeper is not None else self.classification
        if self.matter_id:
            where = f"matter {self.matter_id}"
        else:
            where = f"client {self.client_id}" if self.client_id else "standard"
        return f"{who} {where} from {self.effective_on}: {self.rate_minor}"
