"""E-billing submissions: one invoice sent to one client portal in one LEDES format, and what the portal said.

The file sent is kept (bytes and SHA-256) so that what the portal received can always be shown again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.billing.models import Invoice
from lexbill.core.models import Firm


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    REDUCED = "reduced", "Reduced"  # accepted, but the client will pay less
    APPEALED = "appealed", "Appealed"
    PAID = "paid", "Paid"
    SUPERSEDED = "superseded", "Superseded"  # replaced by a corrected resubmission


class Submission(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="submissions")
    portal = models.CharField(max_length=60)
    ledes_format = models.CharField(max_length=10, help_text="1998B or 1998BI")
    profile = models.CharField(max_length=30, blank=True)
    file_name = models.CharField(max_length=120)
    file_bytes = models.BinaryField()
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    status_on = models.DateField(help_text="When the portal last answered (or the submission date)")
    reason = models.TextField(blank=True, help_text="The portal's reason for a rejection or reduction")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", help_text="The rejected submission this one corrects")
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects: models.Manager[Submission] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["firm", "status", "submitted_on"], name="submission_status_idx")]

    def __str__(self) -> str:
        return f"{self.invoice_id} to {self.portal} ({self.status})"


class SubmissionLine(models.Model):
    """A portal's verdict on one line item: rejected (with its reason code) or reduced (by an amount)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField(help_text="LINE_ITEM_NUMBER in the file sent")
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices)
    reason_code = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    reduced_by_minor = models.BigIntegerField(default=0)
    recorded_at = models.DateTimeField()

    objects: models.Manager[SubmissionLine] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["submission", "line_number"]
        constraints = [models.CheckConstraint(condition=models.Q(reduced_by_minor__gte=0),
                                              name="submissionline_reduction_not_negative")]

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.status}"
