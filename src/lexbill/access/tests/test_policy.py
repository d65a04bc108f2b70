"""lexbill.access on its own: the actor, can/require/restrict, and what a service pays for a check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lexbill.access import (
    Scope,
    acting_as,
    actor_for,
    can,
    enforce,
    operator_actor,
    require,
    restrict,
    scope_of,
)
from lexbill.core.errors import NotFound, PermissionDenied
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import ChargeType, TimeEntry
from lexbill.timekeeping.services import time_entries_set_charge_type, time_entry_create

ON = date(2026, 3, 4)


def _entry(firm, matter, timekeeper) -> TimeEntry:  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=ON,
                             duration=Duration(hours=Decimal("0.5")), narrative="Drafting", today=date(2026, 3, 10))


@pytest.fixture
def ann(firm):  # type: ignore[no-untyped-def]
    """An attorney user and the timekeeper linked to her."""
    user = factories.make_user(firm, email="ann@arnsley.example", role="attorney")
    own = factories.make_timekeeper(firm, initials="AN", classification="PT", user=user)
    return user, own


def test_the_actor_carries_role_and_linked_timekeepers(firm, ann):
    user, own = ann

    actor = actor_for(user, firm)

    assert (actor.role, actor.timekeeper_ids, actor.is_staff, actor.is_operator) == ("attorney", {own.pk}, True, False)


def test_a_stranger_and_a_client_user_see_nothing(firm, other_firm, matter, associate):
    stranger = factories.make_user(other_firm, email="x@other.example", role="admin")
    client_user = factories.make_user(firm, email="c@acme.example", role="client")
    entry = _entry(firm, matter, associate)

    for who in (actor_for(stranger, firm), actor_for(client_user, firm)):
        assert not can(who, "time.view")
        with pytest.raises(NotFound):
            require(who, "time.view", entry)
        with pytest.raises(NotFound):
            require(who, "clients.change")
        assert list(restrict(who, "time", TimeEntry.objects.all())) == []


def test_the_operator_may_do_everything(firm):
    for actor in (None, operator_actor(firm)):
        assert all(scope_of(actor, action) is Scope.ALL for action in ("firm_settings.change", "users.change"))


def test_accounting_reads_and_changes_nothing(firm, matter, associate):
    accounting = actor_for(factories.make_user(firm, role="accounting"), firm)
    entry = _entry(firm, matter, associate)

    assert can(accounting, "time.view", entry)
    with pytest.raises(PermissionDenied, match=r"^your role \(accounting\) may not change this time$"):
        require(accounting, "time.change", entry)


def test_an_attorney_changes_her_own_time_and_cannot_see_anothers(firm, matter, associate, ann):
    user, own = ann
    actor = actor_for(user, firm)
    mine, theirs = _entry(firm, matter, own), _entry(firm, matter, associate)

    assert list(restrict(actor, "time", TimeEntry.objects.order_by("pk"))) == [mine]
    require(actor, "time.change", mine)
    with pytest.raises(NotFound):  # another's saved row: as if it did not exist
        require(actor, "time.change", theirs)
    with pytest.raises(PermissionDenied, match=r"may not change this time \(only your own\)"):  # 403: she knows them
        require(actor, "time.change", TimeEntry(timekeeper=associate))


def test_approval_of_a_consolidated_prebill_needs_every_matter(firm, client_acme, partner, associate, ann):
    user, own = ann
    mine = factories.make_matter(firm, client=client_acme, billing_attorney=own, number="ACME-002")
    theirs = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-003")
    single = make_prebill(firm, mine, work=[(own, ON, "1.0", "Lease")])
    both = make_prebill(firm, mine, work=[(own, ON, "1.0", "Lease")])
    both.matter = None
    both.save(update_fields=["matter"])
    line = both.lines.get()
    make_prebill(firm, theirs, work=[(associate, ON, "1.0", "Research")]).lines.update(prebill=both)
    actor = actor_for(user, firm)

    assert (can(actor, "prebills.approve", single), can(actor, "prebills.approve", both)) == (True, False)
    assert can(actor, "prebills.view", both)  # one of its lines is on her matter
    assert line.prebill_id == both.pk


def test_an_unknown_action_is_a_programming_error(firm):
    with pytest.raises(KeyError, match=r"payments\.allocate"):
        can(operator_actor(firm), "payments.allocate")


def test_a_service_reuses_the_actor_the_face_bound(firm, admin_user, django_assert_num_queries):
    with acting_as(actor_for(admin_user, firm)), django_assert_num_queries(0):
        enforce(admin_user, firm.pk, "clients.change")


def test_a_bulk_change_checks_rows_without_a_query_per_row(firm, matter, ann, django_assert_max_num_queries):
    user, own = ann
    one = [_entry(firm, matter, own).pk]
    three = [_entry(firm, matter, own).pk for _ in range(3)]

    def queries_for(ids: list[int]) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with acting_as(actor_for(user, firm)), CaptureQueriesContext(connection) as captured:
            time_entries_set_charge_type(firm=firm, actor=user, entry_ids=ids, charge_type=ChargeType.NO_CHARGE)
        return len(captured)

    assert queries_for(three) == queries_for(one)


def test_none_inside_a_members_request_is_that_member_not_the_operator(firm):
    accounting = actor_for(factories.make_user(firm, role="accounting"), firm)

    with acting_as(accounting), pytest.raises(PermissionDenied):
        enforce(None, firm, "clients.change")
    assert enforce(None, firm, "clients.change").is_operator  # outside: the operator
