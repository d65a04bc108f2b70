"""Tenancy (Firm, Membership), API tokens and the audit trail."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .currencies import CurrencyField
from .hours import DEFAULT_INCREMENT_MILLI


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    BILLING = "billing", "Billing"
    ATTORNEY = "attorney", "Attorney"
    ACCOUNTING = "accounting", "Accounting"
    CLIENT = "client", "Client"


class Firm(models.Model):
    """The tenant. Every business row belongs to exactly one firm."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    currency = CurrencyField(default="USD")
    timezone = models.CharField(max_length=64, default="America/New_York")
    billing_increment_milli = models.PositiveIntegerField(
        default=DEFAULT_INCREMENT_MILLI, help_text="Billing increment in thousandths of an hour (100 = 0.1 h)"
    )
    # The letterhead address, in the same fields as a client's (LEDES 98BI and XML carry them apart).
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2; empty when not given")
    # Billing and e-billing settings are owned by their apps: billing.FirmBillingSettings and
    # ebilling.FirmEbillingSettings (one row per firm each).
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's seat in a firm, with a role. A user may belong to several firms."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[Membership] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm} ({self.role})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token bound to one user in one firm. Only the SHA-256 of the token is stored."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: models.Manager[ApiToken] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"{self.prefix}... ({self.name or 'token'})"

    @staticmethod
    def generate() -> str:
        return "lxb_" + secrets.token_urlsafe(32)


class AuditEvent(models.Model):
    """Who changed what, when, before and after; chained by hash per firm so tampering shows."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="audit_events")
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60)
    entity = models.CharField(max_length=60)
    entity_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects: models.Manager[AuditEvent] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["firm", "seq"]
        constraints = [models.UniqueConstraint(fields=["firm", "seq"], name="audit_gapless_seq")]
        indexes = [models.Index(fields=["firm", "entity", "entity_id"], name="audit_entity_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.entity} {self.entity_id}"
