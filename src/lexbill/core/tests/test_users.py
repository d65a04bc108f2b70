"""Members of a firm: invite, role, deactivate, reset password; one-time passwords; the last admin stays."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django_scopes import scopes_disabled

from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent, Membership, UserPassword
from lexbill.core.services import user_add
from lexbill.core.users import (
    AlreadyMember,
    LastAdmin,
    member_active_set,
    member_by_email,
    member_invite,
    member_password_reset,
    member_role_set,
    password_change,
    password_is_one_time,
)
from lexbill.testing import factories

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _state(firm) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return list(Membership.objects.filter(firm=firm).order_by("user__email")
                    .values_list("user__email", "role", "is_active"))


def test_user_add_prints_a_one_time_password_but_a_chosen_one_is_not(firm):  # type: ignore[no-untyped-def]
    printed, generated = user_add(firm=firm, email="new@arnsley.example", role="attorney")
    chosen, none = user_add(firm=firm, email="chosen@arnsley.example", role="billing", password="correct-horse-42")

    assert generated is not None and none is None
    assert password_is_one_time(printed) is True
    assert password_is_one_time(chosen) is False


def test_invite_makes_a_member_with_a_one_time_password_and_an_audit_event(firm, admin_user):  # type: ignore[no-untyped-def]
    membership, password = member_invite(firm=firm, actor=admin_user, email=" Ann@Arnsley.Example ",
                                         role="attorney", name="Ann Noble", now=NOW)

    assert password is not None and len(password) == 16
    assert (membership.user.email, membership.user.first_name, membership.user.last_name) == (
        "ann@arnsley.example", "Ann", "Noble")
    assert authenticate(username="ann@arnsley.example", password=password) == membership.user
    assert UserPassword.objects.get(user=membership.user).is_one_time is True
    event = AuditEvent.objects.get(action="membership.invite")
    assert (event.actor, event.after) == (admin_user, {"user": "ann@arnsley.example", "role": "attorney",
                                                       "is_active": True})


def test_inviting_a_user_of_another_firm_keeps_their_password(firm, other_firm, admin_user):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        elsewhere = factories.make_user(other_firm, email="free@example.com", role="billing")

    membership, password = member_invite(firm=firm, actor=admin_user, email="free@example.com", role="accounting")

    assert password is None
    assert membership.user == elsewhere
    assert authenticate(username="free@example.com", password="correct-horse-42") == elsewhere


def test_inviting_a_member_again_is_refused_and_changes_nothing(firm, admin_user):  # type: ignore[no-untyped-def]
    factories.make_user(firm, email="bill@arnsley.example", role="billing")
    before, events = _state(firm), AuditEvent.objects.count()

    with pytest.raises(AlreadyMember, match="already a member"):
        member_invite(firm=firm, actor=admin_user, email="bill@arnsley.example", role="admin")

    assert (_state(firm), AuditEvent.objects.count()) == (before, events)


def test_bad_email_and_role_are_refused(firm, admin_user):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="not an email address"):
        member_invite(firm=firm, actor=admin_user, email="nobody", role="billing")
    with pytest.raises(ValidationFailed, match="unknown role 'boss'"):
        member_invite(firm=firm, actor=admin_user, email="a@b.example", role="boss")
    assert User.objects.count() == 1


def test_role_change_is_audited(firm, admin_user):  # type: ignore[no-untyped-def]
    factories.make_user(firm, email="bill@arnsley.example", role="billing")

    changed = member_role_set(membership=member_by_email(firm, "bill@arnsley.example"), actor=admin_user,
                              role="accounting")

    assert changed.role == "accounting"
    event = AuditEvent.objects.get(action="membership.role")
    assert (event.before["role"], event.after["role"]) == ("billing", "accounting")


def test_the_last_admin_can_neither_be_demoted_nor_deactivated(firm, admin_user):  # type: ignore[no-untyped-def]
    me = member_by_email(firm, "admin@arnsley.example")
    before, events = _state(firm), AuditEvent.objects.count()

    with pytest.raises(LastAdmin, match="last active admin"):
        member_role_set(membership=me, actor=admin_user, role="billing")
    with pytest.raises(LastAdmin, match="last active admin"):
        member_active_set(membership=me, actor=admin_user, is_active=False)

    assert (_state(firm), AuditEvent.objects.count()) == (before, events)
    admin_user.refresh_from_db()
    assert admin_user.is_active is True


def test_with_a_second_admin_an_admin_may_step_down(firm, admin_user):  # type: ignore[no-untyped-def]
    factories.make_user(firm, email="second@arnsley.example", role="admin")

    member_role_set(membership=member_by_email(firm, "admin@arnsley.example"), actor=admin_user, role="billing")

    assert _state(firm) == [("admin@arnsley.example", "billing", True), ("second@arnsley.example", "admin", True)]


def test_deactivate_locks_out_a_user_with_no_other_seat_and_reactivate_lets_them_in(firm, admin_user):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="bill@arnsley.example", role="billing")
    membership = member_by_email(firm, "bill@arnsley.example")

    member_active_set(membership=membership, actor=admin_user, is_active=False)
    user.refresh_from_db()
    assert (user.is_active, _state(firm)[1]) == (False, ("bill@arnsley.example", "billing", False))
    assert authenticate(username="bill@arnsley.example", password="correct-horse-42") is None

    member_active_set(membership=membership, actor=admin_user, is_active=True)
    assert authenticate(username="bill@arnsley.example", password="correct-horse-42") == user
    assert list(AuditEvent.objects.filter(entity="membership", entity_id=str(membership.pk))
                .values_list("action", flat=True)) == ["membership.set", "membership.deactivate", "membership.activate"]


def test_deactivating_in_one_firm_leaves_the_other_firms_seat(firm, other_firm, admin_user):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="free@example.com", role="billing")
    with scopes_disabled():
        factories.make_user(other_firm, email="free@example.com", role="billing")

    member_active_set(membership=member_by_email(firm, "free@example.com"), actor=admin_user, is_active=False)

    user.refresh_from_db()
    assert user.is_active is True


def test_reset_gives_a_new_one_time_password_and_the_old_one_stops_working(firm, admin_user):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email="bill@arnsley.example", role="billing")

    password = member_password_reset(membership=member_by_email(firm, "bill@arnsley.example"), actor=admin_user)

    assert authenticate(username="bill@arnsley.example", password="correct-horse-42") is None
    assert authenticate(username="bill@arnsley.example", password=password) == user
    assert password_is_one_time(user) is True
    assert AuditEvent.objects.filter(action="user.password_reset").count() == 1


def test_changing_the_password_ends_its_one_time_state(firm):  # type: ignore[no-untyped-def]
    user, _ = user_add(firm=firm, email="new@arnsley.example", role="attorney")

    password_change(user=user, new_password="a much better secret 9")

    assert password_is_one_time(user) is False
    assert authenticate(username="new@arnsley.example", password="a much better secret 9") == user


def test_a_weak_new_password_is_refused_by_the_validators(firm):  # type: ignore[no-untyped-def]
    user, generated = user_add(firm=firm, email="new@arnsley.example", role="attorney")

    with pytest.raises(ValidationFailed, match="too short"):
        password_change(user=user, new_password="abc")
    with pytest.raises(ValidationFailed, match="too common"):
        password_change(user=user, new_password="password123")

    assert password_is_one_time(user) is True
    assert authenticate(username="new@arnsley.example", password=generated) == user
