"""Firms, users and memberships."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from lexbill.core.transactions import service_transaction

from .audit import audit_record
from .errors import ValidationFailed
from .models import ApiToken, AuditChainHead, Firm, Membership, Role, hash_token
from .users import password_mark


def firm_create(*, name: str, slug: str | None = None, currency: str = "USD", **extra: object) -> Firm:
    slug = slug or slugify(name)[:60]
    if not slug:
        raise ValidationFailed("a firm needs a name", field="name")
    if Firm.objects.filter(slug=slug).exists():
        raise ValidationFailed(f"a firm with slug '{slug}' already exists", field="slug")
    with service_transaction():
        firm = Firm.objects.create(name=name, slug=slug, currency=currency.upper(), **extra)
        AuditChainHead.objects.create(firm=firm)  # the audit chain's head, which its sealers lock (core/audit.py)
    return firm


def user_add(
    *, firm: Firm, email: str, role: str, password: str | None = None, actor: User | None = None
) -> tuple[User, str | None]:
    """Add (or re-role) a user in a firm. Returns the user and the one-time password if one was made."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except Exception as exc:
        raise ValidationFailed(f"not an email address: {email!r}", field="email") from exc
    if role not in Role.values:
        raise ValidationFailed(f"unknown role {role!r} (choose from {', '.join(Role.values)})", field="role")
    User = get_user_model()
    generated = None
    with service_transaction(), scopes_disabled():
        user = User.objects.filter(username=email).first()
        if user is None:
            if password is None:
                generated = password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=email, email=email, password=password)
            # A printed password is one-time: it must be replaced at the first login (core/users.py).
            password_mark(user, one_time=generated is not None)
        elif password is not None:
            user.set_password(password)
            user.save(update_fields=["password"])
            password_mark(user, one_time=False)
        membership, created = Membership.objects.get_or_create(user=user, firm=firm, defaults={"role": role})
        before = None if created else {"role": membership.role}
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        audit_record(firm=firm, actor=actor, action="membership.set", instance=membership,
                     before=before, after={"user": email, "role": role})
    return user, generated


def api_token_create(*, firm: Firm, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token bound to (user, firm). The raw token is returned once and never stored."""
    with scopes_disabled():
        if not Membership.objects.filter(firm=firm, user=user, is_active=True).exists():
            raise ValidationFailed(f"{user} is not a member of {firm}")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(firm=firm, user=user, name=name, token_hash=hash_token(raw), prefix=raw[:8])
    return token, raw


def api_token_authenticate(raw: str) -> ApiToken | None:
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("firm", "user")
            .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None or not Membership.objects.filter(firm=token.firm, user=token.user, is_active=True).exists():
            return None
        _touch(token)
    return token


# `last_used_at` says roughly when a token was last used (to spot stale tokens), not every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _touch(token: ApiToken) -> None:
    """Write `last_used_at` at most once a minute: one conditional UPDATE in autocommit, so a burst of
    requests with one token neither writes per request nor waits on the token row's lock for long."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
