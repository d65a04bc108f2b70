"""`lexbill user list|role|deactivate|reactivate|reset-password` (issue #9: logins and users)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth import authenticate
from django_scopes import scopes_disabled

from lexbill.core.models import AuditEvent, Membership
from lexbill.core.services import user_add
from lexbill.testing import factories


def _members(firm) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return list(Membership.objects.filter(firm=firm).order_by("user__email")
                    .values_list("user__email", "role", "is_active"))


def test_user_list_names_every_login_with_role_status_last_login_and_last_used_firm(run, run_json, firm, admin_user,
                                                                                     other_firm):
    clerk = factories.make_user(firm, email="bill@arnsley.example", role="billing")
    clerk.first_name, clerk.last_name, clerk.last_login = "Bill", "Ing", datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    clerk.save()
    user_add(firm=other_firm, email="bill@arnsley.example", role="billing")
    with scopes_disabled():
        Membership.objects.filter(user=clerk, firm=other_firm).update(last_used_at=datetime(2026, 3, 9, tzinfo=UTC))

    rows = run_json("user", "list", "--firm", "arnsley")

    assert rows == [
        {"email": "admin@arnsley.example", "name": "", "role": "admin", "active": True, "last_login": None,
         "last_used_firm": None},
        {"email": "bill@arnsley.example", "name": "Bill Ing", "role": "billing", "active": True,
         "last_login": "2026-03-09T08:30:00+00:00", "last_used_firm": "other"},
    ]
    text = run("user", "list", "--firm", "arnsley").stdout.splitlines()
    assert text[0].split() == ["EMAIL", "NAME", "ROLE", "ACTIVE", "LAST", "LOGIN", "LAST", "USED", "FIRM"]
    assert text[2].split() == ["bill@arnsley.example", "Bill", "Ing", "billing", "yes", "2026-03-09T08:30:00", "other"]


def test_role_deactivate_reactivate(run, firm, admin_user):
    factories.make_user(firm, email="bill@arnsley.example", role="billing")

    assert run("user", "role", "bill@arnsley.example", "--role", "accounting").stdout.strip() == (
        "bill@arnsley.example is accounting in Arnsley & Partners LLP")
    assert run("user", "deactivate", "bill@arnsley.example").exit_code == 0
    assert _members(firm)[1] == ("bill@arnsley.example", "accounting", False)
    assert run("user", "reactivate", "bill@arnsley.example").exit_code == 0
    assert _members(firm)[1] == ("bill@arnsley.example", "accounting", True)
    assert list(AuditEvent.objects.filter(entity="membership").exclude(action="membership.set")
                .values_list("action", "actor_label")) == [
        ("membership.role", "system"), ("membership.deactivate", "system"), ("membership.activate", "system")]


def test_the_last_admin_stays_admin_one_line_exit_1(run, firm, admin_user):
    before, events = _members(firm), AuditEvent.objects.count()

    demoted = run("user", "role", "admin@arnsley.example", "--role", "billing")
    gone = run("user", "deactivate", "admin@arnsley.example")

    for result in (demoted, gone):
        assert result.exit_code == 1
        assert result.stderr == ("lexbill: error: admin@arnsley.example is the firm's last active admin: "
                                 "make another member admin first\n")
    assert (_members(firm), AuditEvent.objects.count()) == (before, events)


def test_unknown_member_is_one_line(run, firm, admin_user):
    result = run("user", "deactivate", "nobody@arnsley.example")

    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no user nobody@arnsley.example in this firm\n")


def test_reset_password_prints_a_one_time_password(run_json, firm, admin_user):
    factories.make_user(firm, email="bill@arnsley.example", role="billing")

    out = run_json("user", "reset-password", "bill@arnsley.example")

    assert (out["email"], out["firm"]) == ("bill@arnsley.example", "arnsley")
    assert authenticate(username="bill@arnsley.example", password=out["password"]) is not None
    assert authenticate(username="bill@arnsley.example", password="correct-horse-42") is None
