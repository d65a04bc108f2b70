"""Bulk "Mark no-charge" / "Mark billable" from the grid: all or nothing."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.timekeeping.models import ChargeType, TimeEntry

from .time_support import entry, mark_billed


@pytest.fixture
def logged_in(client, firm):
    client.force_login(factories.make_user(firm, email="clerk@arnsley.example", role="billing"))
    return client


def charge_types(*rows):
    return [TimeEntry.objects.get(pk=r.pk).charge_type for r in rows]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_ticked_entries_are_marked_no_charge_and_back(logged_in, firm, matter, associate):
    a, b, c = (entry(firm, matter, associate, narrative=f"Work {n}") for n in range(3))

    response = logged_in.post("/time/bulk/charge/", {"ids": [a.pk, b.pk], "charge_type": "no_charge",
                                                     "next": "/time/?matter=ACME-001"}, follow=True)

    assert response.redirect_chain[-1] == ("/time/?matter=ACME-001", 302)
    assert charge_types(a, b, c) == [ChargeType.NO_CHARGE, ChargeType.NO_CHARGE, ChargeType.BILLABLE]
    assert messages_of(response) == ["2 of 2 entries marked no charge."]

    response = logged_in.post("/time/bulk/charge/", {"ids": [a.pk, c.pk], "charge_type": "billable"}, follow=True)

    assert charge_types(a, b, c) == [ChargeType.BILLABLE, ChargeType.NO_CHARGE, ChargeType.BILLABLE]
    assert messages_of(response) == ["1 of 2 entries marked billable."]


def test_a_billed_entry_among_the_ticked_ones_refuses_the_whole_batch(logged_in, firm, matter, associate):
    a, b = entry(firm, matter, associate), entry(firm, matter, associate)
    mark_billed(b)

    response = logged_in.post("/time/bulk/charge/", {"ids": [a.pk, b.pk], "charge_type": "no_charge"}, follow=True)

    assert charge_types(a, b) == [ChargeType.BILLABLE, ChargeType.BILLABLE]
    assert messages_of(response) == ["Nothing changed: this entry is billed and can no longer be edited here"]


def test_another_firms_entry_id_refuses_the_batch_without_a_hint(logged_in, firm, other_firm, matter, associate):
    mine = entry(firm, matter, associate)
    with firm_scope(other_firm):
        theirs = entry(other_firm, factories.make_matter(other_firm), factories.make_timekeeper(other_firm))

    response = logged_in.post("/time/bulk/charge/", {"ids": [mine.pk, theirs.pk], "charge_type": "no_charge"},
                              follow=True)

    assert messages_of(response) == ["Nothing changed: some entries were not found"]
    with scopes_disabled():
        assert charge_types(mine, theirs) == [ChargeType.BILLABLE, ChargeType.BILLABLE]


@pytest.mark.parametrize(("data", "message"), [
    ({"charge_type": "no_charge"}, "Tick at least one entry first."),
    ({"ids": ["1", "x"], "charge_type": "no_charge"}, "Tick at least one entry first."),
    ({"ids": ["1"], "charge_type": "non_billable"}, "Unknown bulk action."),
])
def test_bad_bulk_requests_change_nothing(logged_in, firm, matter, associate, data, message):
    given = entry(firm, matter, associate)
    data = {**data, "ids": [given.pk if i == "1" else i for i in data.get("ids", [])]}

    response = logged_in.post("/time/bulk/charge/", data, follow=True)

    assert messages_of(response) == [message]
    assert charge_types(given) == [ChargeType.BILLABLE]
