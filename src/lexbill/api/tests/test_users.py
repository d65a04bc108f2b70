"""/api/v1/users: an admin's token lists members, invites, changes role and status, resets passwords."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django_scopes import scopes_disabled

from lexbill.core.models import Membership
from lexbill.testing import factories

from .conftest import Api, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(firm, admin_user):  # type: ignore[no-untyped-def]
    return Api(Client(), token_for(firm, admin_user))


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    return factories.make_user(firm, email="bill@arnsley.example", role="billing")


def _members(firm) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return list(Membership.objects.filter(firm=firm).order_by("user__email")
                    .values_list("user__email", "role", "is_active"))


def test_list_and_get(admin_api, admin_user, clerk):  # type: ignore[no-untyped-def]
    listed = admin_api.get("/users/").json()

    assert [(m["email"], m["role"], m["is_active"]) for m in listed] == [
        ("admin@arnsley.example", "admin", True), ("bill@arnsley.example", "billing", True)]
    assert admin_api.get(f"/users/{clerk.pk}").json()["email"] == "bill@arnsley.example"


def test_invite_answers_the_one_time_password_once(admin_api, firm):  # type: ignore[no-untyped-def]
    response = admin_api.post("/users/", {"email": "ann@arnsley.example", "role": "attorney", "name": "Ann Noble"})

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["name"], body["role"]) == ("ann@arnsley.example", "Ann Noble", "attorney")
    assert authenticate(username="ann@arnsley.example", password=body["one_time_password"]) is not None
    assert "one_time_password" not in admin_api.get(f"/users/{body['id']}").json()


def test_patch_role_and_status(admin_api, firm, clerk):  # type: ignore[no-untyped-def]
    response = admin_api.patch(f"/users/{clerk.pk}", {"role": "accounting", "is_active": False})

    assert (response.status_code, response.json()["role"], response.json()["is_active"]) == (200, "accounting", False)
    assert _members(firm)[1] == ("bill@arnsley.example", "accounting", False)


def test_the_last_admin_is_refused_with_409_and_nothing_changes(admin_api, firm, admin_user):  # type: ignore[no-untyped-def]
    before = _members(firm)

    response = admin_api.patch(f"/users/{admin_user.pk}", {"role": "billing"})

    assert response.status_code == 409
    assert response.json() == {"detail": "admin@arnsley.example is the firm's last active admin: make another "
                                         "member admin first", "code": "last_admin", "field": None}
    assert _members(firm) == before


def test_reset_password(admin_api, clerk):  # type: ignore[no-untyped-def]
    response = admin_api.post(f"/users/{clerk.pk}/reset-password", {})

    assert response.status_code == 200
    assert authenticate(username="bill@arnsley.example", password=response.json()["one_time_password"]) == clerk


def test_a_user_of_another_firm_is_404(admin_api, other_firm):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        stranger = factories.make_user(other_firm, email="x@other.example", role="billing")

    assert admin_api.patch(f"/users/{stranger.pk}", {"is_active": False}).status_code == 404
    assert admin_api.post(f"/users/{stranger.pk}/reset-password", {}).status_code == 404


def test_a_deactivated_members_token_stops_working(admin_api, firm, clerk):  # type: ignore[no-untyped-def]
    theirs = Api(Client(), token_for(firm, clerk))
    assert theirs.get("/clients/").status_code == 200

    admin_api.patch(f"/users/{clerk.pk}", {"is_active": False})

    assert theirs.get("/clients/").status_code == 401


def test_a_billing_token_may_not_manage_users(firm, clerk):  # type: ignore[no-untyped-def]
    api = Api(Client(), token_for(firm, clerk))

    assert api.get("/users/").status_code == 403
    assert api.post("/users/", {"email": "x@arnsley.example", "role": "admin"}).status_code == 403
