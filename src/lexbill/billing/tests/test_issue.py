"""Issuing an approved pre-bill: number, due date, frozen lines, totals, billed entries; refusals."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from lexbill.billing.models import Invoice, InvoiceLine, NumberSeries, PreBill, PreBillLine, PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings
from lexbill.timekeeping.models import Expense, TimeEntry

from .billing_helpers import ISSUED_ON, MARCH_2, approved_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


def issue(prebill, actor=None, on=ISSUED_ON):
    return invoice_issue(prebill=prebill, actor=actor, issued_on=on, now=NOW)


def test_an_approved_pre_bill_becomes_a_numbered_frozen_invoice(firm, matter, partner, associate, admin_user):
    prebill = approved_prebill(firm, matter, partner, associate)
    invoice = issue(prebill, admin_user)
    assert (invoice.number, invoice.kind, invoice.issued_on, invoice.due_on) == (
        "2026-00001", "invoice", date(2026, 4, 2), date(2026, 5, 2))
    assert (invoice.fees_minor, invoice.expenses_minor, invoice.adjustments_minor, invoice.subtotal_minor,
            invoice.tax_minor, invoice.total_minor, invoice.tax_method) == (135000, 2510, 0, 137510, 0, 137510, "none")
    lines = list(invoice.lines.order_by("position"))
    assert [(x.position, x.kind, x.timekeeper_name, x.timekeeper_classification, x.hours_billed, x.rate_minor,
             x.total_minor, x.tax_minor) for x in lines] == [
        (1, "fee", "Robert Arnsley", "PT", Decimal("1.5"), 50000, 75000, 0),
        (2, "fee", "Jane Doe", "AS", Decimal("2.0"), 30000, 60000, 0),
        (3, "expense", "", "", None, None, 2510, 0),
    ]
    assert sum(x.total_minor for x in lines) == invoice.total_minor
    prebill.refresh_from_db()
    assert prebill.status == "issued"
    assert not PreBillLine.objects.filter(prebill=prebill, is_current=True).exists()
    entries = TimeEntry.objects.order_by("worked_on")
    assert [(e.status, e.rate_minor, e.amount_minor) for e in entries] == [("billed", 50000, 75000),
                                                                           ("billed", 30000, 60000)]
    assert Expense.objects.get().status == "billed"
    event = AuditEvent.objects.get(action="invoice.issue")
    assert (event.entity, event.entity_id, event.actor, event.after["number"], event.after["total_minor"]) == (
        "invoice", str(invoice.pk), admin_user, "2026-00001", 137510)


def test_the_due_date_follows_the_clients_terms(firm, matter, partner, associate, client_acme):
    client_acme.payment_terms_days = 45
    client_acme.save()
    invoice = issue(approved_prebill(firm, matter, partner, associate))
    assert invoice.due_on == date(2026, 5, 17)


def test_write_downs_are_kept_and_held_lines_left_out(firm, matter, partner, associate):
    prebill = approved_prebill(firm, matter, partner, associate)
    fee, second, _ = prebill.lines.order_by("position")
    PreBillLine.objects.filter(pk=fee.pk).update(adjustment_minor=-7500, total_minor=67500)
    PreBillLine.objects.filter(pk=second.pk).update(is_held=True, is_current=False)
    TimeEntry.objects.filter(pk=second.time_entry_id).update(status="open")
    invoice = issue(prebill)
    assert (invoice.fees_minor, invoice.adjustments_minor, invoice.subtotal_minor, invoice.total_minor) == (
        75000, -7500, 70010, 70010)
    assert [x.total_minor for x in invoice.lines.order_by("position")] == [67500, 2510]
    assert TimeEntry.objects.get(pk=fee.time_entry_id).amount_minor == 67500
    assert TimeEntry.objects.get(pk=second.time_entry_id).status == "open"


def test_numbers_are_consecutive_and_restart_each_year(firm, matter, partner, associate):
    numbers = [issue(make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")],
                                  status=PreBillStatus.APPROVED), on=on).number
               for on in (date(2026, 4, 2), date(2026, 4, 2), date(2026, 12, 31), date(2027, 1, 4))]
    assert numbers == ["2026-00001", "2026-00002", "2026-00003", "2027-00001"]
    assert sorted(NumberSeries.objects.values_list("name", "year", "next_seq")) == [
        ("invoice", 2026, 4), ("invoice", 2027, 2)]


def test_the_firms_format_is_used(firm, matter, partner):
    set_firm_settings(firm, invoice_number_format="INV-{seq:04d}")
    invoice = issue(make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")], status="approved"))
    assert invoice.number == "INV-0001"
    assert NumberSeries.objects.get().year == 0


def _state():
    return (list(Invoice.objects.values_list("number", flat=True)),
            list(NumberSeries.objects.values_list("next_seq", flat=True)),
            sorted(PreBill.objects.values_list("status", flat=True)),
            sorted(TimeEntry.objects.values_list("status", flat=True)),
            AuditEvent.objects.filter(action="invoice.issue").count())


@pytest.mark.parametrize("status", ["draft", "in_review", "cancelled"])
def test_an_unapproved_pre_bill_is_refused_and_nothing_changes(firm, matter, partner, associate, status):
    prebill = approved_prebill(firm, matter, partner, associate)
    PreBill.objects.filter(pk=prebill.pk).update(status=status)
    before = _state()
    with pytest.raises(Conflict, match="only an approved pre-bill can be issued"):
        issue(prebill)
    assert _state() == before
    assert before[0] == [] and before[1] == []


def test_an_issued_pre_bill_cannot_be_issued_again(firm, matter, partner, associate):
    prebill = approved_prebill(firm, matter, partner, associate)
    issue(prebill)
    before = _state()
    with pytest.raises(Conflict, match=f"pre-bill {prebill.pk} is already issued"):
        issue(prebill)
    assert _state() == before == (["2026-00001"], [2], ["issued"], ["billed", "billed"], 1)


def test_an_empty_pre_bill_is_refused(firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")], status="approved")
    PreBillLine.objects.filter(prebill=prebill).update(is_current=False)
    before = _state()
    with pytest.raises(ValidationFailed, match="has no lines to bill"):
        issue(prebill)
    assert _state() == before


def test_an_entry_billed_elsewhere_is_a_conflict(firm, matter, partner, associate):
    prebill = approved_prebill(firm, matter, partner, associate)
    TimeEntry.objects.filter(hours_worked=Decimal("2.0")).update(status="billed")
    before = _state()
    with pytest.raises(Conflict, match="is billed, not on this pre-bill"):
        issue(prebill)
    assert _state() == before


def test_an_issued_invoice_refuses_updates_and_deletes(firm, matter, partner, associate):
    from lexbill.billing.immutability import InvoiceImmutable

    invoice = issue(approved_prebill(firm, matter, partner, associate))
    line = invoice.lines.order_by("position").first()
    invoice.total_minor = 1
    with pytest.raises(InvoiceImmutable, match="cannot change \\(total_minor\\)"):
        invoice.save()
    line.narrative = "Something else"
    with pytest.raises(InvoiceImmutable, match="cannot change"):
        line.save()
    # Deletes run in Django's own atomic block: a savepoint keeps the test's transaction usable.
    with pytest.raises(ProtectedError), transaction.atomic():  # its lines protect it before the signal runs
        Invoice.objects.get(pk=invoice.pk).delete()
    with pytest.raises(InvoiceImmutable, match="cannot be deleted"), transaction.atomic():
        line.delete()
    with pytest.raises(InvoiceImmutable, match="cannot be deleted"), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).delete()
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.total_minor, stored.lines.count()) == (137510, 3)
    assert InvoiceLine.objects.get(pk=line.pk).narrative == "Draft motion to compel"


def test_the_pdf_hash_is_recorded_once(firm, matter, partner, associate):
    from lexbill.billing.immutability import InvoiceImmutable

    invoice = issue(approved_prebill(firm, matter, partner, associate))
    invoice.pdf_sha256 = "a" * 64
    invoice.save(update_fields=["pdf_sha256"])
    invoice.pdf_sha256 = "b" * 64
    with pytest.raises(InvoiceImmutable, match="pdf_sha256"):
        invoice.save(update_fields=["pdf_sha256"])
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == "a" * 64


def test_the_database_itself_refuses_changes_that_bypass_the_models(firm, matter, partner, associate):
    """QuerySet.update() and raw SQL skip Django's signals; the triggers of migration 0002 stop them."""
    from django.db import DatabaseError, connection

    invoice = issue(approved_prebill(firm, matter, partner, associate))
    for attempt in (
        lambda: Invoice.objects.filter(pk=invoice.pk).update(total_minor=1, subtotal_minor=1, fees_minor=1,
                                                             expenses_minor=0, adjustments_minor=0, tax_minor=0),
        lambda: InvoiceLine.objects.filter(invoice=invoice).update(narrative="Changed behind the model's back"),
        lambda: connection.cursor().execute("UPDATE billing_invoice SET number = 'X-1' WHERE id = %s", [invoice.pk]),
        # columns added after 0002 are guarded too (0003 re-creates the triggers over them)
        lambda: Invoice.objects.filter(pk=invoice.pk).update(payor_share_bp=5000, payor_matter_id="X"),
    ):
        with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic():
            attempt()
    # the one write allowed: recording the PDF hash once, nothing else
    Invoice.objects.filter(pk=invoice.pk).update(pdf_sha256="c" * 64)
    with pytest.raises(DatabaseError, match="cannot change"), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(pdf_sha256="d" * 64)
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.number, stored.total_minor, stored.pdf_sha256) == (invoice.number, 137510, "c" * 64)
    assert not InvoiceLine.objects.filter(narrative="Changed behind the model's back").exists()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            connection.cursor().execute("DELETE FROM billing_invoicetax WHERE invoice_id = %s", [invoice.pk])
            connection.cursor().execute("DELETE FROM billing_invoiceline WHERE invoice_id = %s", [invoice.pk])
