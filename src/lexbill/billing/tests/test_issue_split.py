"""Split billing at issue: one pre-bill, one invoice per payor, every line shared exactly; all or nothing."""

from datetime import UTC, date, datetime

import pytest

from lexbill.billing.models import Invoice, InvoiceLine, NumberSeries, PreBill, PreBillLine, PreBillStatus, TaxRate
from lexbill.billing.services.issue import invoice_issue, invoices_issue
from lexbill.clients.models import MatterPayor
from lexbill.clients.services_payors import PayorShare, matter_payors_set
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.reader import read
from lexbill.ebilling.ledes.validator import has_errors, validate
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.ledes.xml21 import write_xml21
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_client_settings, set_firm_settings
from lexbill.timekeeping.models import EntryStatus, TimeEntry

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def insurer(firm):
    return factories.make_client(firm, code="INSCO", name="Insurance Co.", payment_terms_days=45,
                                 ledes_client_id="INSCO-LEDES")


@pytest.fixture
def split(firm, matter, client_acme, insurer):
    """Acme pays 40 %, its insurer 60 % under its own claim number."""
    set_firm_settings(firm, ledes_law_firm_id="12-3456789")
    return matter_payors_set(matter=matter, actor=None, payors=[
        PayorShare(client_acme, 4000), PayorShare(insurer, 6000, "CLM-2291")])


def issue(prebill):
    return invoices_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


def test_one_invoice_per_payor_with_its_share_of_every_line(firm, matter, partner, associate, insurer, split):
    prebill = approved_prebill(firm, matter, partner, associate)
    lines = list(prebill.lines.order_by("position"))
    big, small = issue(prebill)
    # Largest share first, numbered in that order; each payor's own terms (45 days for the insurer).
    assert [(i.number, i.client.code, i.payor_share_bp, i.payor_matter_id) for i in (big, small)] == [
        ("2026-00001", "INSCO", 6000, "CLM-2291"), ("2026-00002", "ACME", 4000, "")]
    assert (big.due_on, small.due_on) == (date(2026, 5, 17), date(2026, 5, 2))
    # 1,375.10 = 825.06 + 550.04: each line's parts add up to the line, to the cent.
    assert (big.subtotal_minor, small.subtotal_minor) == (82506, 55004)
    for position, line in enumerate(lines, start=1):
        a = big.lines.get(position=position)
        b = small.lines.get(position=position)
        assert a.total_minor + b.total_minor == line.total_minor
        assert a.base_minor + b.base_minor == line.base_minor
        # The work itself (hours, rate, quantity) is not split.
        assert (a.hours_billed, a.rate_minor, a.quantity) == (line.hours_billed, line.rate_minor, line.quantity)
    assert big.fees_minor + small.fees_minor == 135000
    assert big.expenses_minor + small.expenses_minor == 2510
    assert set(Invoice.objects.filter(prebill=prebill)) == {big, small}
    prebill.refresh_from_db()
    assert prebill.status == PreBillStatus.ISSUED
    # The work is billed once, at its whole amount.
    entries = TimeEntry.objects.filter(matter=matter).order_by("worked_on")
    assert [(e.status, e.amount_minor) for e in entries] == [(EntryStatus.BILLED, 75000), (EntryStatus.BILLED, 60000)]
    events = AuditEvent.objects.filter(action="invoice.issue").order_by("pk")
    assert [(e.after["payor"], e.after["share_bp"]) for e in events] == [("INSCO", 6000), ("ACME", 4000)]


def test_each_payor_is_taxed_by_its_own_rates(firm, matter, partner, associate, insurer, split):
    set_client_settings(insurer, tax_method="per_line")
    TaxRate.objects.create(firm=firm, client=insurer, name="VAT", rate_ppm=200_000)
    big, small = issue(approved_prebill(firm, matter, partner, associate))
    assert (big.tax_minor, small.tax_minor) == (sum(line.tax_minor for line in big.lines.all()), 0)
    assert big.tax_minor == 16501  # 20 % of 450.00 + 360.00 + 15.06, rounded per line: 9000 + 7200 + 301
    assert big.total_minor == big.subtotal_minor + big.tax_minor


def test_invoice_issue_returns_the_largest_payors_invoice(firm, matter, partner, associate, insurer, split):
    invoice = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                            issued_on=ISSUED_ON, now=NOW)
    assert invoice.client == insurer
    assert Invoice.objects.count() == 2


def test_shares_that_no_longer_add_up_refuse_the_issue_and_write_nothing(firm, matter, partner, associate, split):
    MatterPayor.objects.filter(client__code="INSCO").update(share_bp=5000)  # behind the service's back
    prebill = approved_prebill(firm, matter, partner, associate)
    with pytest.raises(ValidationFailed, match="add up to 90 %"):
        issue(prebill)
    assert not Invoice.objects.exists()
    assert not NumberSeries.objects.filter(next_seq__gt=1).exists()
    prebill.refresh_from_db()
    assert prebill.status == PreBillStatus.APPROVED
    assert not TimeEntry.objects.filter(status=EntryStatus.BILLED).exists()


def test_a_split_matter_on_a_consolidated_pre_bill_is_refused(firm, matter, partner, associate, split):
    prebill = approved_prebill(firm, matter, partner, associate)
    PreBill.objects.filter(pk=prebill.pk).update(matter=None)
    with pytest.raises(ValidationFailed, match="pre-bill of its own"):
        issue(PreBill.objects.get(pk=prebill.pk))
    assert not Invoice.objects.exists()


def test_each_payors_ledes_file_is_valid_and_together_they_bill_the_whole(firm, matter, partner, associate,
                                                                         insurer, split):
    prebill = approved_prebill(firm, matter, partner, associate)
    whole = sum(line.total_minor for line in PreBillLine.objects.filter(prebill=prebill))
    files = {i.client.code: write_1998b(invoice_document(i)) for i in issue(prebill)}
    for data in files.values():
        assert not has_errors(validate(data))
    big, small = read(files["INSCO"]).invoices[0], read(files["ACME"]).invoices[0]
    assert {line.raw["CLIENT_MATTER_ID"] for line in big.lines} == {"CLM-2291"}
    assert {line.raw["CLIENT_MATTER_ID"] for line in small.lines} == {matter.client_matter_id}
    assert (big.client_id, small.client_id) == ("INSCO-LEDES", "ACME")
    assert "split billing: 60 % share" in big.description
    assert (big.total + small.total) * 100 == whole
    for line in big.lines:  # the whole work, and the other payor's part as the adjustment
        assert line.unit_cost * line.units + line.adjustment == line.total


def test_98bi_and_xml_of_a_split_invoice_are_valid(firm, matter, partner, associate, insurer, split):
    for invoice in issue(approved_prebill(firm, matter, partner, associate)):
        assert not has_errors(validate(write_98bi(invoice_document(invoice))))
        xml = write_xml21(invoice_document(invoice))
        assert not has_errors(validate(xml))
        # the insurer's file carries its claim number, Acme's does not
        assert (b"<cl_matter_id>CLM-2291</cl_matter_id>" in xml) == (invoice.client == insurer)


def test_split_work_returns_to_wip_only_when_every_payor_is_credited(firm, matter, partner, associate, insurer,
                                                                      client_acme, split):
    from lexbill.billing.services.credit import credit_note_issue, prebill_rebill
    from lexbill.core.errors import Conflict

    big, small = issue(approved_prebill(firm, matter, partner, associate))
    first = credit_note_issue(invoice=small, actor=None, reason="Wrong claim", issued_on=ISSUED_ON, full=True)
    # The insurer is still billed for the work: it stays billed, and cannot be re-billed yet.
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.BILLED}
    with pytest.raises(Conflict, match="still billed to the matter's other payors"):
        prebill_rebill(credit_note=first, actor=None)
    credit_note_issue(invoice=big, actor=None, reason="Wrong claim", issued_on=ISSUED_ON, full=True)
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.OPEN}
    # Re-billed to the matter's client, whole (not the payor's share), and split again when issued.
    again = prebill_rebill(credit_note=first, actor=None)
    assert again.client == client_acme
    assert sum(line.total_minor for line in again.lines.all()) == 137510
    PreBill.objects.filter(pk=again.pk).update(status=PreBillStatus.APPROVED)
    reissued = issue(PreBill.objects.get(pk=again.pk))
    assert [(i.client.code, i.subtotal_minor) for i in reissued] == [("INSCO", 82506), ("ACME", 55004)]


def test_101_one_cent_lines_shared_50_50_bill_each_payor_half_and_tax_it(firm, matter, client_acme, insurer):
    # Line by line, ties to the first payor, this billed the insurer 1.01 and Acme 0.00.
    set_firm_settings(firm, tax_method="on_total")
    TaxRate.objects.create(firm=firm, name="VAT", rate_ppm=200_000)
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 5000), PayorShare(insurer, 5000)])
    prebill = make_prebill(firm, matter, expenses=[(date(2026, 3, 2), f"Copy {n}", 1, "1") for n in range(101)],
                           status=PreBillStatus.APPROVED)
    first, second = issue(prebill)
    assert [(i.client.code, i.subtotal_minor, i.tax_minor, i.total_minor) for i in (first, second)] == [
        ("ACME", 51, 10, 61), ("INSCO", 50, 10, 60)]
    for invoice in (first, second):  # each payor's tax is on its own share
        assert sum(t.taxable_minor for t in invoice.taxes.all()) == invoice.subtotal_minor
        assert sum(line.tax_minor for line in invoice.lines.all()) == invoice.tax_minor
    for position in range(1, 102):  # every line still adds up to its cent
        parts = InvoiceLine.objects.filter(position=position).values_list("base_minor", "adjustment_minor",
                                                                          "total_minor")
        assert sorted(parts) == [(0, 0, 0), (1, 0, 1)]
