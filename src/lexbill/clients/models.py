"""Clients, their contacts, and matters (with the fee arrangement and billing rules)."""

from __future__ import annotations

from django.db import models
from django_scopes import ScopedManager

from lexbill.core.currencies import CurrencyField
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper


class Client(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="clients")
    code = models.CharField("client number", max_length=30)
    name = models.CharField(max_length=200)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 alpha-2")
    currency = CurrencyField(default="USD")
    payment_terms_days = models.PositiveIntegerField(default=30)
    billing_increment_milli = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the firm's billing increment (thousandths of an hour)"
    )
    # Billing and e-billing settings (tax method; LEDES ids, portal, format, profile, deadline) are owned by
    # their apps: billing.ClientBillingSettings and ebilling.ClientEbillingSettings.
    # The UTBMS code sets the client's time and expenses must carry.
    utbms_code_sets = models.JSONField(default=list, blank=True,
                                       help_text="Required UTBMS code sets, e.g. [\"litigation\", \"expense\"]")
    is_consolidated_billing = models.BooleanField(
        default=False, help_text="One invoice for all the client's matters in a bill run"
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[Client] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["firm", "code"], name="client_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ClientContact(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    role = models.CharField(max_length=100, blank=True)
    is_billing_contact = models.BooleanField(default=False)

    objects: models.Manager[ClientContact] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-is_billing_contact", "name"]

    def __str__(self) -> str:
        return self.name


class MatterStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class FeeArrangement(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    FLAT = "flat", "Flat fee"
    CAPPED = "capped", "Capped fee"
    CONTINGENCY = "contingency", "Contingency"
    RETAINER = "retainer", "Monthly retainer"
    BLENDED = "blended", "Blended rate"


class RetainerMonth(models.TextChoices):
    """How a monthly retainer bills the month the matter opened or closed (billing.domain.fees)."""

    FULL = "full", "In full"
    PRORATED = "prorated", "Prorated by the days open"
    NONE = "none", "Not billed"


class Matter(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="matters")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="matters")
    number = models.CharField("matter number", max_length=40)
    name = models.CharField(max_length=200)
    client_matter_id = models.CharField("client's matter id", max_length=60, blank=True)
    description = models.TextField(blank=True)
    billing_attorney = models.ForeignKey(Timekeeper, on_delete=models.PROTECT, related_name="billing_matters")
    responsible_attorney = models.ForeignKey(
        Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="responsible_matters"
    )
    originating_attorney = models.ForeignKey(
        Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="originated_matters"
    )
    status = models.CharField(max_length=10, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    currency = CurrencyField(default="USD")
    fee_arrangement = models.CharField(max_length=20, choices=FeeArrangement.choices, default=FeeArrangement.HOURLY)
    fee_amount_minor = models.BigIntegerField(
        null=True, blank=True, help_text="Flat fee, cap, monthly retainer or blended hourly rate, by arrangement"
    )
    fee_percent_bp = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contingency percentage in basis points (3333 = 33.33 %)"
    )
    retainer_first_month = models.CharField(
        max_length=10, choices=RetainerMonth.choices, default=RetainerMonth.FULL,
        help_text="A retainer's opening month: billed in full, prorated by the days open, or not billed")
    retainer_last_month = models.CharField(
        max_length=10, choices=RetainerMonth.choices, default=RetainerMonth.FULL,
        help_text="A retainer's closing month: billed in full, prorated by the days open, or not billed")
    billing_increment_milli = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the client's/firm's billing increment"
    )
    budget_minor = models.BigIntegerField(null=True, blank=True)
    utbms_code_sets = models.JSONField(default=list, blank=True,
                                       help_text="Required UTBMS code sets; empty: the client's apply")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[Matter] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "number"], name="matter_unique_number"),
            models.CheckConstraint(
                condition=models.Q(budget_minor__isnull=True) | models.Q(budget_minor__gte=0),
                name="matter_budget_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["firm", "client"], name="matter_client_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status == MatterStatus.OPEN

    def billing_increment(self) -> int:
        """The increment in force: matter override, else client's, else firm's (thousandths of an hour)."""
        return (
            self.billing_increment_milli
            or self.client.billing_increment_milli
            or self.firm.billing_increment_milli
        )


class MatterPayor(models.Model):
    """Split billing: one of the parties that pay a share of a matter's bills (an insurer and its insured,
    co-defendants sharing counsel). A matter without payors is billed to its client alone; with payors, each
    bill is issued as one invoice per payor carrying that payor's share of every line, and the shares must
    add up to 100 %."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="payors")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="paid_matters",
                               help_text="The client invoiced for this share")
    share_bp = models.PositiveIntegerField(help_text="Share in basis points (6000 = 60 %)")
    client_matter_id = models.CharField(
        "payor's matter id", max_length=60, blank=True,
        help_text="This payor's own reference for the matter (LEDES CLIENT_MATTER_ID); empty: the matter's")

    objects: models.Manager[MatterPayor] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["matter", "-share_bp", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "client"], name="matterpayor_unique_client"),
            models.CheckConstraint(condition=models.Q(share_bp__gte=1, share_bp__lte=10000),
                                   name="matterpayor_share_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} pays {self.share_bp} bp of {self.matter_id}"
