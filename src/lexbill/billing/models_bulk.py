"""Bulk work on many pre-bills or invoices at once (issue #9): approve, issue, send, or download as one ZIP.

A BulkJob names what to do and to which rows; each row is a BulkJobItem with its own outcome, so one bad
pre-bill fails alone with its reason ("P-12: 2 open queries") and the rest proceed. Items are rows rather
than a growing JSON field on the job (DESIGN, "Write paths"): each item's outcome is written once, in the
same transaction as its effect where the effect is a database change, and a re-run skips the items done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.core.models import Firm


class BulkJobKind(models.TextChoices):
    APPROVE = "approve", "Approve"
    ISSUE = "issue", "Issue"
    SEND = "send", "Send by email"
    ZIP = "zip", "Download PDFs and LEDES files"


# What each kind works on: pre-bills (approve, issue) or invoices (send, zip).
PREBILL_KINDS = (BulkJobKind.APPROVE, BulkJobKind.ISSUE)


class BulkJobStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BulkJob(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=BulkJobKind.choices)
    status = models.CharField(max_length=10, choices=BulkJobStatus.choices, default=BulkJobStatus.PENDING)
    issued_on = models.DateField(null=True, blank=True, help_text="The invoice date (kind issue)")
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the job itself stopped (items keep their own reasons)")
    zip_content = models.BinaryField(null=True, blank=True, help_text="The ZIP (kind zip), once done")
    zip_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # The local command-line operator without --as (no user): recorded, so that a job whose user was deleted
    # later never runs with the operator's rights.
    by_operator = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: models.Manager[BulkJob] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["firm", "created_by", "created_at"], name="bulkjob_creator_idx")]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"

    @property
    def works_on_prebills(self) -> bool:
        return self.kind in PREBILL_KINDS

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED)


class BulkItemStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BulkJobItem(models.Model):
    """One pre-bill (approve, issue) or invoice (send, zip) of a job, and how it ended."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    target_id = models.BigIntegerField(help_text="The pre-bill's or invoice's id")
    label = models.CharField(max_length=60, help_text="P-12 for a pre-bill, the number for an invoice")
    status = models.CharField(max_length=10, choices=BulkItemStatus.choices, default=BulkItemStatus.PENDING)
    message = models.TextField(blank=True, help_text="What happened: the invoice numbers made, or the refusal")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: models.Manager[BulkJobItem] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="bulkjobitem_unique_position"),
            models.UniqueConstraint(fields=["job", "target_id"], name="bulkjobitem_unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.status}"
