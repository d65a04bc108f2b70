"""A firm's members: invite, change role, deactivate and reactivate, reset a password; one-time passwords
and the firm a user last worked in.

Who may call these is the faces' question (`users.view` / `users.change` in access.policy, which sits
above core): the web's decorators, the API's `@allow` and the CLI's COMMAND_ACTIONS ask it before the
call. The rules about the firm itself are kept here: a firm always keeps an active admin.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from .audit import audit_record
from .errors import Conflict, NotFound, ValidationFailed
from .models import Firm, Membership, Role, UserPassword
from .transactions import service_transaction


class LastAdmin(Conflict):
    """The change would leave the firm without an active admin, and so nobody to manage its users."""

    code = "last_admin"


class AlreadyMember(Conflict):
    code = "already_member"


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def password_mark(user: User, *, one_time: bool, now: datetime | None = None) -> None:
    """Record whether the user's (just set) password is one-time. Part of the caller's transaction."""
    UserPassword.objects.update_or_create(
        user=user, defaults={"is_one_time": one_time, "set_at": now or timezone.now()})


def password_is_one_time(user: Any) -> bool:
    return UserPassword.objects.filter(user=user.pk, is_one_time=True).exists()


# --- reads ---------------------------------------------------------------------------------------------


def member_list(firm: Firm) -> QuerySet[Membership]:
    """The firm's members, active first, by email; the user comes along (one query)."""
    with scopes_disabled():
        return (Membership.objects.filter(firm=firm).select_related("user")
                .order_by("-is_active", "user__email"))


def member_get(firm: Firm, user_id: int) -> Membership:
    with scopes_disabled():
        found = Membership.objects.filter(firm=firm, user_id=user_id).select_related("user").first()
    if found is None:
        raise NotFound("no such member in this firm")
    return found


def member_by_email(firm: Firm, email: str) -> Membership:
    with scopes_disabled():
        found = (Membership.objects.filter(firm=firm, user__username=email.strip().lower())
                 .select_related("user").first())
    if found is None:
        raise NotFound(f"no user {email.strip()} in this firm")
    return found


def last_used_firms(user_ids: list[int]) -> dict[int, Firm]:
    """Each user's last-used firm (by the memberships' `last_used_at`), for lists of users."""
    with scopes_disabled():
        rows = (Membership.objects.filter(user_id__in=user_ids, is_active=True, last_used_at__isnull=False)
                .select_related("firm").order_by("user_id", "-last_used_at"))
        found: dict[int, Firm] = {}
        for row in rows:
            found.setdefault(row.user_id, row.firm)
    return found


# --- writes --------------------------------------------------------------------------------------------


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(f"not an email address: {email!r}", field="email") from exc
    return email


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationFailed(f"unknown role {role!r} (choose from {', '.join(Role.values)})", field="role")
    return role


def _snapshot(membership: Membership) -> dict[str, Any]:
    return {"user": membership.user.email, "role": membership.role, "is_active": membership.is_active}


def _keeps_an_admin(membership: Membership, *, role: str, is_active: bool) -> None:
    """Refuse a change that would leave the firm with no active admin (locking the firm's users out of
    management for good). Counted under the rows' locks, so two admins demoting each other at once
    cannot both succeed."""
    if membership.role != Role.ADMIN or not membership.is_active or (role == Role.ADMIN and is_active):
        return
    admins = list(Membership.objects.select_for_update().filter(
        firm_id=membership.firm_id, role=Role.ADMIN, is_active=True).values_list("pk", flat=True))
    if set(admins) <= {membership.pk}:
        raise LastAdmin(f"{membership.user.email} is the firm's last active admin: make another member admin first")


def member_invite(
    *, firm: Firm, actor: User | None, email: str, role: str, name: str = "", now: datetime | None = None,
) -> tuple[Membership, str | None]:
    """Make `email` a member with `role`. A new user gets a one-time password, returned once (never
    stored in clear); an existing user (a member of another firm) keeps theirs. A member already is refused."""
    email, role = _clean_email(email), _clean_role(role)
    now = now or timezone.now()
    generated = None
    with service_transaction(), scopes_disabled():
        user = get_user_model().objects.filter(username=email).first()
        if user is None:
            generated = one_time_password()
            first, _, last = name.strip().partition(" ")
            user = get_user_model().objects.create_user(
                username=email, email=email, password=generated, first_name=first[:150], last_name=last[:150])
            password_mark(user, one_time=True, now=now)
        elif Membership.objects.filter(firm=firm, user=user).exists():
            raise AlreadyMember(f"{email} is already a member of {firm.name}", field="email")
        membership = Membership.objects.create(firm=firm, user=user, role=role)
        audit_record(firm=firm, actor=actor, action="membership.invite", instance=membership,
                     before=None, after=_snapshot(membership), at=now)
    return membership, generated


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)


def member_role_set(*, membership: Membership, actor: User | None, role: str) -> Membership:
    role = _clean_role(role)
    with service_transaction(), scopes_disabled():
        locked = _locked(membership)
        if locked.role == role:
            return locked
        _keeps_an_admin(locked, role=role, is_active=locked.is_active)
        before = _snapshot(locked)
        locked.role = role
        locked.save(update_fields=["role"])
        audit_record(firm=locked.firm, actor=actor, action="membership.role", instance=locked,
                     before=before, after=_snapshot(locked))
    return locked


def member_active_set(*, membership: Membership, actor: User | None, is_active: bool) -> Membership:
    """Deactivate (or reactivate) a member. A user with no active seat left in any firm is also made
    inactive for Django, so they cannot log in at all; reactivating lets them in again."""
    with service_transaction(), scopes_disabled():
        locked = _locked(membership)
        if locked.is_active == is_active:
            return locked
        _keeps_an_admin(locked, role=locked.role, is_active=is_active)
        before = _snapshot(locked)
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
        user = locked.user
        has_seat = Membership.objects.filter(user=user, is_active=True).exists()
        if user.is_active != has_seat:
            user.is_active = has_seat
            user.save(update_fields=["is_active"])
        action = "membership.activate" if is_active else "membership.deactivate"
        audit_record(firm=locked.firm, actor=actor, action=action, instance=locked, before=before,
                     after=_snapshot(locked))
    return locked


def member_password_reset(*, membership: Membership, actor: User | None, now: datetime | None = None) -> str:
    """Give the member a new one-time password (returned once); they must replace it at their next login."""
    now = now or timezone.now()
    password = one_time_password()
    with service_transaction(), scopes_disabled():
        locked = _locked(membership)
        user = locked.user
        user.set_password(password)
        user.save(update_fields=["password"])
        password_mark(user, one_time=True, now=now)
        audit_record(firm=locked.firm, actor=actor, action="user.password_reset", instance=locked,
                     before=None, after={"user": user.email, "one_time": True}, at=now)
    return password


def password_change(*, user: User, new_password: str, now: datetime | None = None) -> None:
    """The user chooses their own password (checked by AUTH_PASSWORD_VALIDATORS); it is no longer one-time.
    Each firm the user belongs to records the change (without the password, of course)."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="new_password1") from exc
    now = now or timezone.now()
    with service_transaction(), scopes_disabled():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        password_mark(user, one_time=False, now=now)
        for membership in Membership.objects.filter(user=user).select_related("firm"):
            audit_record(firm=membership.firm, actor=user, action="user.password_change", instance=membership,
                         before=None, after={"user": user.email}, at=now)


def membership_mark_used(membership: Membership, now: datetime | None = None) -> None:
    """Remember that the user works in this firm now (a login lands in the last-used firm). One UPDATE in
    autocommit, no audit event: it records a habit, not a change to the firm's data."""
    now = now or timezone.now()
    with scopes_disabled():
        Membership.objects.filter(pk=membership.pk).update(last_used_at=now)
    membership.last_used_at = now
