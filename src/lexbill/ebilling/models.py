"""E-billing submissions: one invoice sent to one client portal in one LEDES format, and what the portal said.

The file sent is kept (bytes and SHA-256) so that what the portal received can always be shown again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.billing.models import Invoice
from lexbill.clients.models import Client
from lexbill.core.models import Firm


class LedesFormat(models.TextChoices):
    """The formats lexbill writes (ledes/formats.py; a test keeps the two equal)."""

    LEDES_1998B = "1998B", "LEDES 1998B"
    LEDES_1998BI = "1998BI", "LEDES 98BI V2"
    XML_2_1 = "XML2.1", "LEDES XML 2.1"


class LedesProfileName(models.TextChoices):
    """The per-client dialects (ledes/profiles.py; a test keeps the two equal)."""

    STANDARD = "standard", "Standard"
    LEGACY = "legacy", "Legacy (old classifications)"
    ECOUNSEL = "ecounsel", "eCounsel"
    BRIGHTFLAG = "brightflag", "Brightflag"
    COLLABORATI = "collaborati", "Collaborati"
    STRICT = "strict", "Strict"


class FirmEbillingSettings(models.Model):
    """The firm's e-billing settings (owned by ebilling, not core.Firm); read through `firm_ebilling_settings`."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, primary_key=True, related_name="ebilling_settings")
    ledes_law_firm_id = models.CharField("LEDES law firm id (tax id)", max_length=20, blank=True)

    objects: models.Manager[FirmEbillingSettings] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"e-billing settings of firm {self.firm_id}"


class ClientEbillingSettings(models.Model):
    """How a client is e-billed: its LEDES client id, the portal, format and dialect it takes, how long after
    issue an invoice may still be submitted, and whether each invoice email carries its LEDES file."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True,
                                  related_name="ebilling_settings")
    ledes_client_id = models.CharField("LEDES client id", max_length=40, blank=True)
    wants_ledes = models.BooleanField(default=False, help_text="Send a LEDES file with each invoice")
    ebilling_portal = models.CharField(max_length=60, blank=True)
    ledes_format = models.CharField(max_length=10, choices=LedesFormat.choices, blank=True,
                                    help_text="Empty: LEDES 1998B")
    ledes_profile = models.CharField(max_length=30, choices=LedesProfileName.choices, blank=True,
                                     help_text="Empty: standard")
    submission_deadline_days = models.PositiveIntegerField(null=True, blank=True)

    objects: models.Manager[ClientEbillingSettings] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"e-billing settings of client {self.client_id}"


def firm_ebilling_settings(firm: Firm) -> FirmEbillingSettings:
    """The firm's stored e-billing settings, or the defaults (unsaved) while it has none. No query when the
    firm was read with select_related("ebilling_settings")."""
    if Firm.ebilling_settings.is_cached(firm):  # type: ignore[attr-defined]
        return getattr(firm, "ebilling_settings", None) or FirmEbillingSettings(firm=firm)
    return FirmEbillingSettings.objects.filter(firm=firm).first() or FirmEbillingSettings(firm=firm)


def client_ebilling_settings(client: Client) -> ClientEbillingSettings:
    """The client's stored e-billing settings, or the defaults (unsaved) while it has none. No query when the
    client was read with select_related("ebilling_settings")."""
    if Client.ebilling_settings.is_cached(client):  # type: ignore[attr-defined]
        cached = getattr(client, "ebilling_settings", None)
    else:
        cached = ClientEbillingSettings.objects.filter(client=client).first()
    return cached or ClientEbillingSettings(firm_id=client.firm_id, client=client)


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
    # What a resubmission changed against the submission it corrects (ebilling/resubmission.py, LineDiff.as_json):
    # the invoice before and after (a re-bill after a credit note), lines added/removed/changed, totals.
    changes = models.JSONField(default=dict, blank=True)
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
