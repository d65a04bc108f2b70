"""Logging in (issue #9 defect 9): a member of two firms lands in the firm last used, and a one-time
password must be replaced before any other page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.core.services import api_token_create, user_add
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories


@pytest.fixture
def zephyr(db):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return factories.make_firm("Zephyr Legal", slug="zephyr")


def _login(client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password})


def test_after_login_a_member_of_two_firms_lands_in_the_firm_last_used(client, firm, zephyr, matter):  # type: ignore[no-untyped-def]
    # Given a member of Arnsley (alphabetically first, with a matter) and of Zephyr, who worked in Zephyr last
    factories.make_user(firm, email="free@example.com", role="billing")
    user_add(firm=zephyr, email="free@example.com", role="admin")
    with firm_scope(zephyr):
        factories.make_matter(zephyr, number="ZEP-9", name="Zephyr appeal")
    _login(client, "free@example.com", "correct-horse-42")
    client.post(reverse("firm_switch"), {"firm": "zephyr"})
    client.post(reverse("logout"))

    # When they log in again
    landed = _login(client, "free@example.com", "correct-horse-42")

    # Then they land in Zephyr, with Zephyr's role and records
    assert landed["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert (home.context["active_firm"].slug, home.context["active_role"]) == ("zephyr", "admin")
    body = client.get(reverse("matter_list")).content.decode()
    assert "ZEP-9" in body and "ACME-001" not in body


def test_a_first_login_never_used_lands_in_the_first_firm_by_name_and_is_remembered(client, firm, zephyr):  # type: ignore[no-untyped-def]
    user = factories.make_user(zephyr, email="free@example.com", role="billing")
    user_add(firm=firm, email="free@example.com", role="billing")

    _login(client, "free@example.com", "correct-horse-42")

    assert client.get(reverse("home")).context["active_firm"].slug == "arnsley"
    with scopes_disabled():
        used = {m.firm.slug: m.last_used_at is not None for m in user.memberships.select_related("firm")}
    assert used == {"arnsley": True, "zephyr": False}


def test_a_one_time_password_must_be_changed_before_any_other_page(client, firm):  # type: ignore[no-untyped-def]
    # Given a user added with a printed one-time password
    _, one_time = user_add(firm=firm, email="new@arnsley.example", role="billing")
    assert one_time is not None

    # When they log in with it, every page sends them to the change-password page
    assert _login(client, "new@arnsley.example", one_time)["Location"] == reverse("home")
    for name in ("home", "matter_list", "time_grid", "billrun_list"):
        response = client.get(reverse(name))
        assert (response.status_code, response["Location"]) == (302, reverse("password_change")), name
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "You logged in with a one-time password" in page.content.decode()

    # A weak password or the same one again is refused, and nothing opens up
    weak = client.post(reverse("password_change"), {"old_password": one_time, "new_password1": "abc",
                                                     "new_password2": "abc"})
    assert weak.status_code == 422
    assert "too short" in weak.content.decode()
    same = client.post(reverse("password_change"), {"old_password": one_time, "new_password1": one_time,
                                                     "new_password2": one_time})
    assert same.status_code == 422
    assert "different from your current one" in same.content.decode()
    assert client.get(reverse("matter_list"))["Location"] == reverse("password_change")

    # Then a good new password opens every page, in this session and the next
    changed = client.post(reverse("password_change"), {"old_password": one_time, "new_password1": "lantern-quay-81",
                                                        "new_password2": "lantern-quay-81"})
    assert changed["Location"] == reverse("home")
    assert client.get(reverse("matter_list")).status_code == 200
    client.post(reverse("logout"))
    assert _login(client, "new@arnsley.example", one_time).status_code == 200  # the form again: refused
    assert _login(client, "new@arnsley.example", "lantern-quay-81")["Location"] == reverse("home")
    assert client.get(reverse("matter_list")).status_code == 200


def test_a_chosen_password_is_not_one_time(client, firm):  # type: ignore[no-untyped-def]
    factories.make_user(firm, email="bill@arnsley.example", role="billing")

    _login(client, "bill@arnsley.example", "correct-horse-42")

    assert client.get(reverse("matter_list")).status_code == 200


def test_the_api_with_a_token_is_not_held_up_by_a_one_time_password(client, firm):  # type: ignore[no-untyped-def]
    user, one_time = user_add(firm=firm, email="new@arnsley.example", role="billing")
    _, raw = api_token_create(firm=firm, user=user)
    _login(client, "new@arnsley.example", one_time)  # type: ignore[arg-type]

    response = client.get("/api/v1/clients/", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
