"""The Users page: an admin lists members, invites, changes roles, deactivates, resets passwords."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.core.models import AuditEvent, Membership
from lexbill.testing import factories

from .records_support import count_queries


@pytest.fixture
def admin(client, firm, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    return factories.make_user(firm, email="bill@arnsley.example", role="billing")


def _members(firm) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return list(Membership.objects.filter(firm=firm).order_by("user__email")
                    .values_list("user__email", "role", "is_active"))


def test_the_list_shows_every_member_with_role_and_status_in_a_few_queries(admin, firm, clerk):  # type: ignore[no-untyped-def]
    few, _ = count_queries(admin, reverse("user_list"))
    for n in range(20):
        factories.make_user(firm, email=f"att{n:02d}@arnsley.example", role="attorney")

    queries, response = count_queries(admin, reverse("user_list"))

    body = response.content.decode()
    assert body.count('<tr class="member') == 22
    assert 'data-email="bill@arnsley.example"' in body
    assert queries == few == 6  # the members and their users in one query, however many


def test_invite_shows_the_one_time_password_once_and_it_works(admin, firm):  # type: ignore[no-untyped-def]
    response = admin.post(reverse("user_invite"), {"email": "ann@arnsley.example", "name": "Ann Noble",
                                                   "role": "attorney"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.content.decode()).group(1)  # type: ignore[union-attr]
    assert authenticate(username="ann@arnsley.example", password=password) is not None
    assert ("ann@arnsley.example", "attorney", True) in _members(firm)
    assert password not in admin.get(reverse("user_list")).content.decode()


def test_a_bad_invite_shows_the_error_and_creates_nothing(admin, firm, clerk):  # type: ignore[no-untyped-def]
    before = _members(firm)

    response = admin.post(reverse("user_invite"), {"email": "bill@arnsley.example", "role": "admin"})

    assert response.status_code == 422
    assert "bill@arnsley.example is already a member of Arnsley &amp; Partners LLP" in response.content.decode()
    assert _members(firm) == before


def test_change_role_deactivate_and_reactivate(admin, firm, clerk):  # type: ignore[no-untyped-def]
    admin.post(reverse("user_role", args=[clerk.pk]), {"role": "accounting"})
    assert ("bill@arnsley.example", "accounting", True) in _members(firm)

    admin.post(reverse("user_deactivate", args=[clerk.pk]))
    assert ("bill@arnsley.example", "accounting", False) in _members(firm)

    admin.post(reverse("user_reactivate", args=[clerk.pk]))
    assert ("bill@arnsley.example", "accounting", True) in _members(firm)
    assert AuditEvent.objects.filter(entity="membership").count() == 5  # two added, role, off, on


def test_a_deactivated_member_is_shut_out_of_the_firm_at_once(client, admin, firm, clerk, matter):  # type: ignore[no-untyped-def]
    from django.test import Client as HttpClient

    theirs = HttpClient()
    theirs.force_login(clerk)
    assert theirs.get(reverse("matter_list")).status_code == 200

    admin.post(reverse("user_deactivate", args=[clerk.pk]))

    # with no other seat the user is inactive for Django too: the session no longer logs them in
    response = theirs.get(reverse("matter_list"))
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={reverse('matter_list')}")


def test_the_last_admin_cannot_demote_or_deactivate_themselves(admin, firm, admin_user, clerk):  # type: ignore[no-untyped-def]
    before, events = _members(firm), AuditEvent.objects.count()

    demoted = admin.post(reverse("user_role", args=[admin_user.pk]), {"role": "billing"})
    gone = admin.post(reverse("user_deactivate", args=[admin_user.pk]))

    for response in (demoted, gone):
        assert response.status_code == 409
        assert "admin@arnsley.example is the firm&#x27;s last active admin" in response.content.decode()
    assert (_members(firm), AuditEvent.objects.count()) == (before, events)


def test_reset_password_shows_a_new_one_time_password(admin, firm, clerk):  # type: ignore[no-untyped-def]
    response = admin.post(reverse("user_reset_password", args=[clerk.pk]))

    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.content.decode()).group(1)  # type: ignore[union-attr]
    assert authenticate(username="bill@arnsley.example", password="correct-horse-42") is None
    assert authenticate(username="bill@arnsley.example", password=password) == clerk


def test_a_user_of_another_firm_is_not_found(admin, firm, other_firm):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        stranger = factories.make_user(other_firm, email="x@other.example", role="billing")

    response = admin.post(reverse("user_deactivate", args=[stranger.pk]))

    assert response.status_code == 404
    with scopes_disabled():
        assert Membership.objects.get(user=stranger).is_active is True


@pytest.mark.parametrize(("role", "status"), [("billing", 403), ("attorney", 403), ("client", 404)])
def test_only_admins_see_the_users_page(client, firm, role, status):  # type: ignore[no-untyped-def]
    client.force_login(factories.make_user(firm, email=f"{role}@arnsley.example", role=role))

    assert client.get(reverse("user_list")).status_code == status
