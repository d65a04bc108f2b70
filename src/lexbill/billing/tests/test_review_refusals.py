"""Every review operation refuses on an approved, issued or cancelled pre-bill, and changes nothing."""

from decimal import Decimal

import pytest

from lexbill.billing.models import PreBill, PreBillQuery, PreBillStatus
from lexbill.billing.services.review import (
    prebill_line_edit_narrative,
    prebill_line_set_no_charge,
    prebill_line_write_amount,
    prebill_line_write_hours,
    prebill_line_write_percent,
    prebill_submit,
    prebill_write_amount,
    prebill_write_percent,
)
from lexbill.billing.services.review_moves import prebill_line_hold, prebill_line_move
from lexbill.billing.services.review_queries import prebill_query_add, prebill_query_answer
from lexbill.core.errors import Conflict, NotFound
from lexbill.testing import factories

from .review_helpers import lines_of, march_prebill, state

OPERATIONS = {
    "narrative": lambda c: prebill_line_edit_narrative(line=c.fee, narrative="New text", actor=c.actor),
    "hours": lambda c: prebill_line_write_hours(line=c.fee, hours_billed=Decimal("1"), actor=c.actor),
    "amount": lambda c: prebill_line_write_amount(line=c.fee, adjustment_minor=-100, actor=c.actor),
    "percent": lambda c: prebill_line_write_percent(line=c.fee, percent="10", actor=c.actor),
    "no_charge": lambda c: prebill_line_set_no_charge(line=c.fee, is_no_charge=True, actor=c.actor),
    "bill_amount": lambda c: prebill_write_amount(prebill=c.prebill, adjustment_minor=-100, actor=c.actor),
    "bill_percent": lambda c: prebill_write_percent(prebill=c.prebill, percent="5", actor=c.actor),
    "move": lambda c: prebill_line_move(line=c.fee, to_matter=c.other_matter, actor=c.actor),
    "hold": lambda c: prebill_line_hold(line=c.fee, actor=c.actor),
    "query": lambda c: prebill_query_add(prebill=c.prebill, question="Why?", actor=c.actor),
    "answer": lambda c: prebill_query_answer(query=c.query, answer="Because.", actor=c.actor),
    "submit": lambda c: prebill_submit(prebill=c.prebill, actor=c.actor),
}


class Given:
    def __init__(self, prebill, other_matter, actor):
        self.prebill = prebill
        self.fee = lines_of(prebill)[0]
        self.other_matter = other_matter
        self.actor = actor
        self.query = PreBillQuery.objects.create(firm=prebill.firm, prebill=prebill, question="Open?",
                                                 asked_at=prebill.created_at)


@pytest.fixture
def other_matter(firm, client_acme, partner):
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")


@pytest.mark.parametrize("status", [PreBillStatus.APPROVED, PreBillStatus.ISSUED, PreBillStatus.CANCELLED])
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_closed_prebill_refuses_every_review_operation(firm, matter, partner, associate, other_matter, admin_user,
                                                         status, operation):
    prebill = march_prebill(firm, matter, partner, associate, status=status)
    given = Given(prebill, other_matter, admin_user)
    before = state(prebill)
    with pytest.raises(Conflict, match=f"pre-bill {prebill.pk} is {PreBillStatus(status).label.lower()}: only a "
                                       "draft or a pre-bill in review can be changed"):
        OPERATIONS[operation](given)
    assert state(prebill) == before


def test_a_prebill_that_no_longer_exists_is_not_found(firm, matter, partner, associate, other_matter, admin_user):
    prebill = march_prebill(firm, matter, partner, associate)
    given = Given(prebill, other_matter, admin_user)
    given.prebill = PreBill(pk=prebill.pk + 1000, firm=firm)
    with pytest.raises(NotFound, match=f"no pre-bill {prebill.pk + 1000}"):
        OPERATIONS["bill_amount"](given)
