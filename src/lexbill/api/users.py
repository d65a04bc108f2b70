"""/users: the firm's members (admins only): list, invite, change role or status, reset a password.

A user is addressed by their user id; a user who is not a member of the token's firm is 404. A one-time
password (a new user's, or a reset's) is in the answer once and never again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lexbill.core.models import Membership
from lexbill.core.users import (
    last_used_firms,
    member_active_set,
    member_get,
    member_invite,
    member_list,
    member_password_reset,
    member_role_set,
)

from .access import allow
from .auth import actor
from .common import ObjectId
from .schemas import ErrorOut

router = Router(tags=["users"])

RoleName = Literal["admin", "billing", "attorney", "accounting", "client"]


class MemberOut(Schema):
    id: int  # the user's id
    email: str
    name: str
    role: str
    is_active: bool
    last_login: datetime | None
    last_used_firm: str | None = None


class InvitedOut(MemberOut):
    one_time_password: str | None = Field(None, description="a new user's password, shown only in this answer")


class InviteIn(Schema):
    email: str = Field(..., max_length=254)
    role: RoleName
    name: str = Field("", max_length=300)


class MemberPatch(Schema):
    role: RoleName | None = None
    is_active: bool | None = None


class PasswordOut(Schema):
    email: str
    one_time_password: str


def _out(membership: Membership, last_used: str | None = None) -> dict[str, object]:
    user = membership.user
    return {"id": user.pk, "email": user.email, "name": user.get_full_name(), "role": membership.role,
            "is_active": membership.is_active, "last_login": user.last_login, "last_used_firm": last_used}


@router.get("/", response=list[MemberOut])
@allow("users.view")
def list_users(request: HttpRequest) -> list[dict[str, object]]:
    members = list(member_list(request.firm))  # type: ignore[attr-defined]
    used = last_used_firms([m.user_id for m in members])
    return [_out(m, used[m.user_id].slug if m.user_id in used else None) for m in members]


@router.post("/", response={201: InvitedOut, 409: ErrorOut, 422: ErrorOut})
@allow("users.change")
def invite_user(request: HttpRequest, payload: InviteIn) -> Status:
    membership, password = member_invite(firm=request.firm, actor=actor(request), **payload.dict())  # type: ignore[attr-defined]
    return Status(201, {**_out(membership), "one_time_password": password})


@router.get("/{user_id}", response={200: MemberOut, 404: ErrorOut})
@allow("users.view")
def get_user(request: HttpRequest, user_id: ObjectId) -> dict[str, object]:
    return _out(member_get(request.firm, user_id))  # type: ignore[attr-defined]


@router.patch("/{user_id}", response={200: MemberOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("users.change")
def update_user(request: HttpRequest, user_id: ObjectId, payload: MemberPatch) -> dict[str, object]:
    """Change the member's role and/or status; a firm keeps an active admin (409 `last_admin`)."""
    membership = member_get(request.firm, user_id)  # type: ignore[attr-defined]
    if payload.role is not None:
        membership = member_role_set(membership=membership, actor=actor(request), role=payload.role)
    if payload.is_active is not None:
        membership = member_active_set(membership=membership, actor=actor(request), is_active=payload.is_active)
    return _out(membership)


@router.post("/{user_id}/reset-password", response={200: PasswordOut, 404: ErrorOut})
@allow("users.change")
def reset_password(request: HttpRequest, user_id: ObjectId) -> dict[str, str]:
    membership = member_get(request.firm, user_id)  # type: ignore[attr-defined]
    password = member_password_reset(membership=membership, actor=actor(request))
    return {"email": membership.user.email, "one_time_password": password}
