"""Credit notes (full and partial) and re-billing the work of a fully credited invoice."""

from datetime import UTC, date, datetime

import pytest

from lexbill.billing.models import Invoice, InvoiceTax, NumberSeries, PreBill, TaxRate
from lexbill.billing.services.credit import credit_note_issue, prebill_rebill
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_firm_settings
from lexbill.timekeeping.models import Expense, TimeEntry

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)
CREDIT_ON = date(2026, 4, 20)


@pytest.fixture
def invoice(firm, matter, partner, associate):
    """Per-line sales taxes: subtotal 1,375.10; state 85.95 + city 30.94 = 116.89; total 1,491.99."""
    set_firm_settings(firm, tax_method="per_line")
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    TaxRate.objects.create(firm=firm, name="City sales tax", rate_ppm=22_500)
    prebill = approved_prebill(firm, matter, partner, associate)
    issued = invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    assert (issued.subtotal_minor, issued.tax_minor, issued.total_minor) == (137510, 11689, 149199)
    return issued


def credit(invoice, **kwargs):
    kwargs.setdefault("reason", "Client disputes research time")
    return credit_note_issue(invoice=invoice, actor=None, issued_on=CREDIT_ON, now=NOW, **kwargs)


def taxes(note):
    return list(InvoiceTax.objects.filter(invoice=note).order_by("name").values_list("name", "taxable_minor",
                                                                                     "tax_minor"))


def test_a_full_credit_note_negates_every_line_and_releases_the_work(invoice):
    note = credit(invoice, full=True)
    assert (note.number, note.kind, note.credits, note.reason, note.issued_on) == (
        "CN2026-00001", "credit_note", invoice, "Client disputes research time", CREDIT_ON)
    assert (note.fees_minor, note.expenses_minor, note.subtotal_minor, note.tax_minor, note.total_minor) == (
        -135000, -2510, -137510, -11689, -149199)
    assert list(note.lines.order_by("position").values_list("kind", "total_minor", "tax_minor")) == [
        ("fee", -75000, -6376), ("fee", -60000, -5100), ("expense", -2510, -213)]
    assert taxes(note) == [("City sales tax", -137510, -3094), ("State sales tax", -137510, -8595)]
    assert list(TimeEntry.objects.values_list("status", "rate_minor", "amount_minor")) == [("open", None, None)] * 2
    assert Expense.objects.get().status == "open"
    assert AuditEvent.objects.get(action="credit_note.issue").after["released_to_wip"] == 3
    # The invoice itself never changed.
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.total_minor, stored.lines.count()) == (149199, 3)


def test_partial_credits_take_their_share_of_tax_and_add_up_to_the_invoice(invoice):
    first = credit(invoice, amount_minor=1000)
    # 10.00 x 85.95 / 1,375.10 = 0.62504 -> 0.63; x 30.94 / 1,375.10 = 0.22500 -> 0.23
    assert list(first.lines.values_list("kind", "base_minor", "total_minor", "tax_minor", "narrative")) == [
        ("adjustment", -1000, -1000, -86, "Client disputes research time")]
    assert taxes(first) == [("City sales tax", -1000, -23), ("State sales tax", -1000, -63)]
    assert (first.adjustments_minor, first.subtotal_minor, first.tax_minor, first.total_minor) == (
        -1000, -1000, -86, -1086)
    rest = credit(invoice, amount_minor=136510)
    assert taxes(rest) == [("City sales tax", -136510, -3071), ("State sales tax", -136510, -8532)]
    assert (rest.number, rest.total_minor) == ("CN2026-00002", -148113)
    assert first.total_minor + rest.total_minor == -invoice.total_minor
    # Partial credits leave the work billed.
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"billed"}


def _state():
    return (Invoice.objects.count(), list(NumberSeries.objects.order_by("name").values_list("name", "next_seq")),
            sorted(TimeEntry.objects.values_list("status", flat=True)))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"amount_minor": 137511}, Conflict, "only 1,375.10 USD is left uncredited"),
        ({"amount_minor": 0}, ValidationFailed, "more than zero"),
        ({"amount_minor": 100, "full": True}, ValidationFailed, "not both or neither"),
        ({}, ValidationFailed, "not both or neither"),
        ({"full": True, "reason": " "}, ValidationFailed, "needs a reason"),
    ],
)
def test_bad_credits_are_refused_and_nothing_changes(invoice, kwargs, error, message):
    before = _state()
    with pytest.raises(error, match=message):
        credit(invoice, **kwargs)
    assert _state() == before


def test_a_credit_cannot_exceed_what_is_left(invoice):
    credit(invoice, amount_minor=100000)
    before = _state()
    with pytest.raises(Conflict, match=r"only 375\.10 USD is left"):
        credit(invoice, amount_minor=37511)
    with pytest.raises(Conflict, match="already partly credited"):
        credit(invoice, full=True)
    assert _state() == before


def test_a_fully_credited_invoice_cannot_be_credited_again(invoice):
    credit(invoice, full=True)
    with pytest.raises(Conflict, match="already partly credited"):
        credit(invoice, full=True)
    with pytest.raises(Conflict, match=r"only 0\.00 USD is left"):
        credit(invoice, amount_minor=1)


def test_a_credit_note_cannot_be_credited(invoice):
    note = credit(invoice, amount_minor=500)
    with pytest.raises(ValidationFailed, match="is a credit note"):
        credit(note, amount_minor=100)


def test_rebill_puts_the_credited_work_on_a_new_draft_pre_bill(invoice, admin_user):
    note = credit(invoice, full=True)
    prebill = prebill_rebill(credit_note=note, actor=admin_user)
    assert (prebill.status, prebill.matter, prebill.period_end) == ("draft", invoice.matter, invoice.period_end)
    assert list(prebill.lines.order_by("position").values_list("kind", "rate_minor", "total_minor", "is_current")) == [
        ("fee", 50000, 75000, True), ("fee", 30000, 60000, True), ("expense", None, 2510, True)]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"on_prebill"}
    assert Expense.objects.get().status == "on_prebill"
    assert AuditEvent.objects.get(action="prebill.rebill").after["subtotal_minor"] == 137510


def test_rebill_twice_or_from_a_partial_credit_is_refused(invoice):
    partial = credit(invoice, amount_minor=500)
    with pytest.raises(ValidationFailed, match="partial credit note"):
        prebill_rebill(credit_note=partial, actor=None)
    assert PreBill.objects.filter(status="draft").count() == 0


def test_rebill_of_work_already_rebilled_is_a_conflict(firm, matter, partner, associate):
    invoice = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                            issued_on=ISSUED_ON, now=NOW)
    note = credit(invoice, full=True)
    prebill_rebill(credit_note=note, actor=None)
    with pytest.raises(Conflict, match="re-billed before"):
        prebill_rebill(credit_note=note, actor=None)
    assert PreBill.objects.filter(status="draft").count() == 1
