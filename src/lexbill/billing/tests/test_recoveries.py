"""Recoveries on contingency matters: create and delete; validation, audit, firm checks."""

from __future__ import annotations

from datetime import date

import pytest

from lexbill.billing.models import Recovery
from lexbill.billing.selectors_fees import recoveries_of
from lexbill.billing.services.fees import recovery_create, recovery_delete
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories

TODAY = date(2026, 3, 31)


@pytest.fixture
def contingency(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-CONT",
                                 fee_arrangement="contingency", fee_percent_bp=3333)


def test_create_shows_the_firms_share(firm, contingency, admin_user):
    recovery = recovery_create(firm=firm, matter=contingency, amount_minor=10_000_000, received_on=TODAY,
                               description="Settlement", actor=admin_user, today=TODAY)

    [row] = recoveries_of(contingency)
    assert (row.pk, row.amount_minor, row.share_minor, row.state) == (recovery.pk, 10_000_000, 3_333_000,
                                                                      "unbilled")
    event = AuditEvent.objects.get(action="recovery.create")
    assert (event.entity_id, event.after["amount_minor"]) == (str(recovery.pk), 10_000_000)


@pytest.mark.parametrize(("fields", "message"), [
    ({"amount_minor": 0}, "more than zero"),
    ({"received_on": date(2026, 4, 1)}, "2026-04-01 is in the future"),
    ({"description": "x" * 201}, "longer than 200"),
])
def test_bad_input_is_refused_and_nothing_is_written(firm, contingency, admin_user, fields, message):
    args = {"amount_minor": 100, "received_on": TODAY} | fields
    with pytest.raises(ValidationFailed, match=message):
        recovery_create(firm=firm, matter=contingency, actor=admin_user, today=TODAY, **args)
    assert (Recovery.objects.count(), AuditEvent.objects.filter(action="recovery.create").count()) == (0, 0)


def test_a_recovery_on_a_matter_that_is_not_contingency_is_refused(firm, matter, admin_user):
    with pytest.raises(ValidationFailed, match="ACME-001 is not a contingency matter"):
        recovery_create(firm=firm, matter=matter, amount_minor=100, received_on=TODAY, actor=admin_user,
                        today=TODAY)
    assert Recovery.objects.count() == 0


def test_delete_an_unbilled_recovery(firm, contingency, admin_user):
    recovery = recovery_create(firm=firm, matter=contingency, amount_minor=500, received_on=TODAY,
                               actor=admin_user, today=TODAY)
    recovery_delete(recovery=recovery, actor=admin_user)

    assert Recovery.objects.count() == 0
    assert AuditEvent.objects.get(action="recovery.delete").before["amount_minor"] == 500
