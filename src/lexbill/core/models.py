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
    # A deactivated member keeps the seat (their audit events and history name them) but acts as an
    # outsider: no page, token or command of the firm answers them.
    is_active = models.BooleanField(default=True)
    # When the user last worked in this firm (logged in to it or switched to it): a login lands there.
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[Membership] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm} ({self.role})"


class UserPassword(models.Model):
    """Whether a user's password is one-time: made by `user add` or by an admin's reset, shown once, and
    to be replaced at the next login before any other page (web/middleware.py). Not firm-owned: a user
    has one password whatever firms they belong to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="password_state")
    is_one_time = models.BooleanField(default=False)
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} ({'one-time' if self.is_one_time else 'chosen'})"


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
    """Who changed what, when, before and after; written once, sealed into a per-firm hash chain later.

    The writer stores the event with its `mac` (a keyed hash of its content) inside the transaction of the
    change, taking no lock. A sealer chains committed events afterwards (core/audit.py): it sets `seq`,
    `prev_hash` and `hash` once, the only change the database allows on this table (core/guards.py).
    """

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="audit_events")
    seq = models.PositiveBigIntegerField(null=True, blank=True, help_text="Place in the firm's chain, once sealed")
    at = models.DateTimeField()
    # PROTECT: deleting a user would rewrite their events (SET_NULL is an UPDATE); deactivate users instead.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60)
    entity = models.CharField(max_length=60)
    entity_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    mac = models.CharField(max_length=64, default="", help_text="Keyed hash of the content, set by the writer")
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    objects: models.Manager[AuditEvent] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["firm", "id"]
        constraints = [models.UniqueConstraint(fields=["firm", "seq"], name="audit_gapless_seq")]
        indexes = [
            models.Index(fields=["firm", "entity", "entity_id"], name="audit_entity_idx"),
            # the sealer's work list: small, because events are sealed soon after they commit
            models.Index(fields=["firm", "id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action} {self.entity} {self.entity_id}"


class AuditChainHead(models.Model):
    """The last sealed event of a firm's chain. Its row is the sealer's lock, and it shows events deleted
    from the end of the chain (which leave no gap behind them)."""

    firm = models.OneToOneField(Firm, on_delete=models.PROTECT, primary_key=True, related_name="audit_head")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    sealed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.firm_id}: #{self.seq}"


class IdempotencyKey(models.Model):
    """The stored result of a request made with an idempotency key (invariant 8, `core/idempotency.py`).

    Written in the same transaction as the request's effect, so a key is never committed without its
    effect nor an effect without its key. A retry with the same key and the same request gets the stored
    result; the same key with another request is refused. Kept until `expires_at`, then purged.
    """

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, route, body and acting user")
    route = models.CharField(max_length=300, help_text="what the key was first used for, for the refusal message")
    # Null only inside the transaction that claims the key; it commits with the answer's status.
    status_code = models.PositiveSmallIntegerField(null=True, help_text="HTTP status, or the CLI's exit code")
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    # Looked up by (firm, key) explicitly, also outside a firm scope (the purge), so not a ScopedManager.
    objects: models.Manager[IdempotencyKey] = models.Manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "key"], name="idempotency_key_unique")]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.route})"
