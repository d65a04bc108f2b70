"""Fee items: create, update, delete, milestones reached; validation, audit, firm checks."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import FeeItem
from lexbill.billing.services.fees import (
    fee_item_create,
    fee_item_delete,
    fee_item_update,
    milestone_reach,
    milestone_unreach,
)
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories


@pytest.fixture
def flat(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-FLAT",
                                 fee_arrangement="flat", fee_amount_minor=2_000_000)


def test_create_a_scheduled_phase_item_with_its_audit_event(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="  Discovery phase ", amount_minor=750_000,
                           due_on=date(2026, 5, 1), task_code="l300", actor=admin_user)

    assert (item.description, item.amount_minor, item.task_code, item.due_on, item.is_milestone_reached) == (
        "Discovery phase", 750_000, "L300", date(2026, 5, 1), False)
    event = AuditEvent.objects.get(action="fee_item.create")
    assert (event.entity, event.entity_id, event.actor_label) == ("feeitem", str(item.pk), "admin@arnsley.example")
    assert event.after["amount_minor"] == 750_000


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"amount_minor": 0}, "amount_minor", "more than zero"),
    ({"amount_minor": -100}, "amount_minor", "more than zero"),
    ({"description": "  "}, "description", "description is required"),
    ({"description": "x" * 201}, "description", "longer than 200"),
    ({"task_code": "X1"}, "task_code", "not a UTBMS task code"),
])
def test_bad_input_is_refused_and_nothing_is_written(firm, flat, admin_user, fields, field, message):
    args = {"description": "Stage 1", "amount_minor": 100_000} | fields
    with pytest.raises(ValidationFailed, match=message) as err:
        fee_item_create(firm=firm, matter=flat, actor=admin_user, **args)
    assert err.value.field == field
    assert (FeeItem.objects.count(), AuditEvent.objects.filter(action__startswith="fee_item").count()) == (0, 0)


def test_a_phase_is_refused_on_an_hourly_matter(firm, matter, admin_user):
    with pytest.raises(ValidationFailed, match="only on a flat-fee matter"):
        fee_item_create(firm=firm, matter=matter, description="Phase", amount_minor=1, task_code="L100",
                        actor=admin_user)
    assert FeeItem.objects.count() == 0


def test_a_closed_matter_or_another_firms_matter_is_refused(firm, flat, other_firm, admin_user):
    with scopes_disabled():
        foreign = factories.make_matter(other_firm)
    with pytest.raises(NotFound):
        fee_item_create(firm=firm, matter=foreign, description="x", amount_minor=1, actor=admin_user)
    flat.status = "closed"
    flat.closed_on = date(2026, 3, 1)
    flat.save()
    with pytest.raises(ValidationFailed, match="ACME-FLAT is closed"):
        fee_item_create(firm=firm, matter=flat, description="x", amount_minor=1, actor=admin_user)
    assert FeeItem.objects.count() == 0


def test_update_records_only_what_changed(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000,
                           due_on=date(2026, 5, 1), actor=admin_user)

    fee_item_update(fee_item=item, amount_minor=125_050, description="Stage 1", actor=admin_user)

    item.refresh_from_db()
    assert item.amount_minor == 125_050
    event = AuditEvent.objects.get(action="fee_item.update")
    assert (event.before, event.after) == ({"amount_minor": 100_000}, {"amount_minor": 125_050})


def test_update_refuses_unknown_fields_and_bad_values_without_change(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000, actor=admin_user)
    with pytest.raises(ValidationFailed, match="cannot change: matter"):
        fee_item_update(fee_item=item, matter=None, actor=admin_user)
    with pytest.raises(ValidationFailed, match="more than zero"):
        fee_item_update(fee_item=item, amount_minor=0, actor=admin_user)
    item.refresh_from_db()
    assert item.amount_minor == 100_000
    assert not AuditEvent.objects.filter(action="fee_item.update").exists()


def test_a_milestone_is_reached_and_unreached(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Trial", amount_minor=100_000, actor=admin_user)

    milestone_reach(fee_item=item, actor=admin_user)
    assert FeeItem.objects.get(pk=item.pk).is_milestone_reached is True
    with pytest.raises(Conflict, match="already reached"):
        milestone_reach(fee_item=item, actor=admin_user)
    milestone_unreach(fee_item=item, actor=admin_user)

    assert FeeItem.objects.get(pk=item.pk).is_milestone_reached is False
    assert list(AuditEvent.objects.filter(entity="feeitem").order_by("pk").values_list("action", flat=True)) == [
        "fee_item.create", "fee_item.reach", "fee_item.unreach"]


def test_a_scheduled_item_is_not_a_milestone(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000,
                           due_on=date(2026, 5, 1), actor=admin_user)
    with pytest.raises(ValidationFailed, match="scheduled for 2026-05-01, not a milestone"):
        milestone_reach(fee_item=item, actor=admin_user)
    assert FeeItem.objects.get(pk=item.pk).is_milestone_reached is False


def test_giving_a_reached_milestone_a_date_makes_it_scheduled(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Trial", amount_minor=100_000, actor=admin_user)
    milestone_reach(fee_item=item, actor=admin_user)

    fee_item_update(fee_item=item, due_on=date(2026, 6, 1), actor=admin_user)

    item.refresh_from_db()
    assert (item.due_on, item.is_milestone_reached) == (date(2026, 6, 1), False)


def test_delete_is_audited(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=100_000, actor=admin_user)
    pk = item.pk

    fee_item_delete(fee_item=item, actor=admin_user)

    assert not FeeItem.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="fee_item.delete")
    assert (event.entity_id, event.before["description"], event.after) == (str(pk), "Stage 1", None)
