"""Bulk jobs: approve, issue, send and zip many pre-bills or invoices; one bad item fails alone with its reason,
the rest proceed, and a re-run skips what is done."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date

import pytest

from lexbill.billing.models import (
    BulkJob,
    BulkJobItem,
    Delivery,
    DeliveryStatus,
    Invoice,
    InvoiceDocument,
    PreBill,
    PreBillStatus,
)
from lexbill.billing.models_bulk import BulkItemStatus, BulkJobStatus
from lexbill.billing.services.bulk import bulk_job_create, bulk_job_execute, firm_today
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import NotFound, PermissionDenied, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import ClientEbillingSettings, FirmEbillingSettings
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from . import send_helpers
from .billing_helpers import ISSUED_ON, MARCH_2
from .send_helpers import NOW, add_contact, attachments

smtp = send_helpers.smtp  # the real SMTP server fixture


def _prebill(firm, client, partner, associate, hours, status=PreBillStatus.DRAFT):
    matter = factories.make_matter(firm, client=client, billing_attorney=partner)
    return make_prebill(firm, matter, work=[(associate, MARCH_2, hours, "Work")], status=status)


@pytest.fixture
def clerk(firm):
    return factories.make_user(firm, email="clerk@arnsley.example", role="billing")


@pytest.fixture
def three(firm, client_acme, partner, associate):
    """Two drafts (1.0 h and 2.0 h x 300.00) and one already issued pre-bill, in that order."""
    first = _prebill(firm, client_acme, partner, associate, "1.0")
    second = _prebill(firm, client_acme, partner, associate, "2.0")
    issued = _prebill(firm, client_acme, partner, associate, "3.0", status=PreBillStatus.APPROVED)
    invoice_issue(prebill=issued, actor=None, issued_on=ISSUED_ON, now=NOW)
    return first, second, issued


def _items(job):
    return [(i.label, i.status, i.message) for i in BulkJobItem.objects.filter(job=job).order_by("position")]


def test_bulk_approve_approves_each_and_one_bad_item_fails_alone(firm, clerk, three):
    first, second, issued = three

    job = bulk_job_create(firm=firm, kind="approve", actor=clerk, ids=[first.pk, issued.pk, second.pk],
                          enqueue=False)
    job = bulk_job_execute(job=job, now=NOW)

    assert (job.status, job.total, job.done_count, job.failed_count) == (BulkJobStatus.DONE, 3, 2, 1)
    assert _items(job) == [
        (f"P-{first.pk}", "done", "approved"),
        (f"P-{issued.pk}", "failed", f"P-{issued.pk}: pre-bill {issued.pk} is issued: only a draft or a pre-bill "
                                     "in review can be approved"),
        (f"P-{second.pk}", "done", "approved"),
    ]
    statuses = dict(PreBill.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[issued.pk]) == ("approved", "approved", "issued")
    assert PreBill.objects.get(pk=first.pk).approved_by == clerk


def test_a_rerun_skips_the_items_done_and_tries_the_failed_again(firm, clerk, three):
    first, _second, issued = three
    job = bulk_job_execute(job=bulk_job_create(firm=firm, kind="approve", actor=clerk,
                                               ids=[first.pk, issued.pk], enqueue=False), now=NOW)
    approvals = AuditEvent.objects.filter(action="prebill.approve").count()

    again = bulk_job_execute(job=job, now=NOW)

    assert AuditEvent.objects.filter(action="prebill.approve").count() == approvals == 1
    assert (again.status, again.done_count, again.failed_count) == (BulkJobStatus.DONE, 1, 1)
    assert [s for _, s, _ in _items(again)] == ["done", "failed"]


def test_bulk_issue_uses_the_chosen_invoice_date(firm, clerk, client_acme, partner, associate):
    one = _prebill(firm, client_acme, partner, associate, "1.0", status=PreBillStatus.APPROVED)
    two = _prebill(firm, client_acme, partner, associate, "2.5", status=PreBillStatus.APPROVED)
    draft = _prebill(firm, client_acme, partner, associate, "4.0")

    job = bulk_job_create(firm=firm, kind="issue", actor=clerk, ids=[one.pk, two.pk, draft.pk],
                          issued_on=date(2026, 4, 30), enqueue=False)
    job = bulk_job_execute(job=job, now=NOW)

    invoices = list(Invoice.objects.order_by("number").values_list("number", "issued_on", "total_minor"))
    assert invoices == [("2026-00001", date(2026, 4, 30), 30000), ("2026-00002", date(2026, 4, 30), 75000)]
    assert _items(job) == [
        (f"P-{one.pk}", "done", "issued 2026-00001"),
        (f"P-{two.pk}", "done", "issued 2026-00002"),
        (f"P-{draft.pk}", "failed", f"P-{draft.pk}: pre-bill {draft.pk} is draft: only an approved pre-bill can "
                                    "be issued"),
    ]
    assert PreBill.objects.get(pk=draft.pk).status == PreBillStatus.DRAFT


def test_an_attorney_may_not_bulk_issue_and_nothing_is_recorded(firm, client_acme, partner, associate):
    attorney = factories.make_user(firm, email="ra@arnsley.example", role="attorney")
    one = _prebill(firm, client_acme, partner, associate, "1.0", status=PreBillStatus.APPROVED)

    with pytest.raises(PermissionDenied):
        bulk_job_create(firm=firm, kind="issue", actor=attorney, ids=[one.pk], issued_on=ISSUED_ON, enqueue=False)

    assert (BulkJob.objects.count(), BulkJobItem.objects.count(), Invoice.objects.count()) == (0, 0, 0)


def test_a_row_the_actor_cannot_see_refuses_the_whole_job(firm, clerk, three):
    with pytest.raises(NotFound, match="no pre-bill 999999"):
        bulk_job_create(firm=firm, kind="approve", actor=clerk, ids=[three[0].pk, 999999], enqueue=False)
    with pytest.raises(ValidationFailed, match="invoice date"):
        bulk_job_create(firm=firm, kind="issue", actor=clerk, ids=[three[0].pk], enqueue=False)
    with pytest.raises(ValidationFailed, match="at least one"):
        bulk_job_create(firm=firm, kind="send", actor=clerk, ids=[], enqueue=False)
    assert BulkJob.objects.count() == 0 and PreBill.objects.get(pk=three[0].pk).status == PreBillStatus.DRAFT


def test_firm_today_is_the_date_in_the_firms_zone(firm):
    firm.timezone = "Asia/Tokyo"
    assert firm_today(firm, now=NOW.replace(hour=23)) == date(2026, 4, 4)
    firm.timezone = "America/New_York"
    assert firm_today(firm, now=NOW.replace(hour=2)) == date(2026, 4, 2)


@pytest.fixture
def issued(firm, client_acme, partner, associate):
    """ACME (billing contact ap@acme.example) 2026-00001 = 300.00, GAMMA (no contact) 2026-00002 = 600.00."""
    gamma = factories.make_client(firm, code="GAMMA", name="Gamma SA")
    add_contact(client_acme, "Wile Coyote", "ap@acme.example")
    result = []
    for client, hours in ((client_acme, "1.0"), (gamma, "2.0")):
        prebill = _prebill(firm, client, partner, associate, hours, status=PreBillStatus.APPROVED)
        result.append(invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW))
    return result


def test_bulk_send_emails_each_invoice_with_its_pdf(firm, clerk, issued, smtp):
    acme, gamma = issued

    job = bulk_job_execute(job=bulk_job_create(firm=firm, kind="send", actor=clerk, ids=[acme.pk, gamma.pk],
                                               enqueue=False), now=NOW)

    assert (job.done_count, job.failed_count) == (1, 1)
    message = smtp.only()
    assert message.rcpt_tos == ["ap@acme.example"]
    pdf = InvoiceDocument.objects.get(invoice=acme).content
    assert [(name, kind) for name, kind, _ in attachments(message.message)] == [("invoice-2026-00001.pdf",
                                                                                "application/pdf")]
    assert attachments(message.message)[0][2] == bytes(pdf)
    labels = _items(job)
    assert labels[0] == ("2026-00001", "done", "sent to ap@acme.example")
    assert labels[1][:2] == ("2026-00002", "failed") and labels[1][2].startswith("2026-00002: ")
    assert list(Delivery.objects.values_list("invoice__number", "status")) == [("2026-00001", DeliveryStatus.SENT)]


def test_a_send_job_rerun_sends_only_what_failed(firm, clerk, issued, smtp):
    acme, gamma = issued
    job = bulk_job_execute(job=bulk_job_create(firm=firm, kind="send", actor=clerk, ids=[acme.pk, gamma.pk],
                                               enqueue=False), now=NOW)
    add_contact(gamma.client, "Gil Gamma", "ap@gamma.example")

    job = bulk_job_execute(job=job, now=NOW)

    assert [r.rcpt_tos for r in smtp.received] == [["ap@acme.example"], ["ap@gamma.example"]]
    assert (job.done_count, job.failed_count) == (2, 0)


@pytest.fixture
def ledes_firm(firm):
    FirmEbillingSettings.objects.create(firm=firm, ledes_law_firm_id="12-3456789")


def test_the_zip_holds_the_stored_pdfs_the_ledes_files_and_a_manifest(firm, clerk, ledes_firm, issued):
    acme, gamma = issued
    ClientEbillingSettings.objects.create(firm=firm, client=acme.client, wants_ledes=True, ledes_client_id="ACME-LC")

    job = bulk_job_execute(job=bulk_job_create(firm=firm, kind="zip", actor=clerk, ids=[gamma.pk, acme.pk],
                                               enqueue=False), now=NOW)

    assert (job.status, job.done_count, job.failed_count) == (BulkJobStatus.DONE, 2, 0)
    content = bytes(job.zip_content)
    assert job.zip_sha256 == hashlib.sha256(content).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist() == ["2026-00002.pdf", "2026-00001.pdf", "2026-00001.txt", "manifest.csv"]
    for invoice in (acme, gamma):
        stored = bytes(InvoiceDocument.objects.get(invoice=invoice).content)
        assert archive.read(f"{invoice.number}.pdf") == stored
    assert archive.read("2026-00001.txt").startswith(b"LEDES1998B[]")
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode())))
    sha = {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}
    assert manifest == [
        ["file", "number", "client", "total", "currency", "sha256"],
        ["2026-00002.pdf", "2026-00002", "GAMMA", "600.00", "USD", sha["2026-00002.pdf"]],
        ["2026-00001.pdf", "2026-00001", "ACME", "300.00", "USD", sha["2026-00001.pdf"]],
        ["2026-00001.txt", "2026-00001", "ACME", "300.00", "USD", sha["2026-00001.txt"]],
    ]
    assert [s for _, s, _ in _items(job)] == [BulkItemStatus.DONE, BulkItemStatus.DONE]
    assert _items(job)[1][2] == "PDF and LEDES file ready"


def test_an_invoice_whose_ledes_file_cannot_be_written_fails_alone(firm, clerk, issued):
    acme, gamma = issued  # issued while the firm had no LEDES law firm id
    ClientEbillingSettings.objects.create(firm=firm, client=acme.client, wants_ledes=True)

    job = bulk_job_execute(job=bulk_job_create(firm=firm, kind="zip", actor=clerk, ids=[acme.pk, gamma.pk],
                                               enqueue=False), now=NOW)

    assert (job.status, job.done_count, job.failed_count) == (BulkJobStatus.DONE, 1, 1)
    assert _items(job)[0][2].startswith("2026-00001: invoice 2026-00001 was issued while the firm had no LEDES")
    assert zipfile.ZipFile(io.BytesIO(bytes(job.zip_content))).namelist() == ["2026-00002.pdf", "manifest.csv"]
