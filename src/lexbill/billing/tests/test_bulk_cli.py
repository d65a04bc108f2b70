"""`lexbill bulk ...`: each item through its single service; failures one line each on stderr and exit 1."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from lexbill.billing.models import BulkJob, Invoice, InvoiceDocument, PreBill, PreBillStatus
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .billing_helpers import MARCH_2


def _prebill(firm, client, partner, associate, hours, status=PreBillStatus.DRAFT):
    matter = factories.make_matter(firm, client=client, billing_attorney=partner)
    return make_prebill(firm, matter, work=[(associate, MARCH_2, hours, "Work")], status=status)


@pytest.fixture
def two(firm, client_acme, partner, associate):
    return (_prebill(firm, client_acme, partner, associate, "1.0"),
            _prebill(firm, client_acme, partner, associate, "2.0", status=PreBillStatus.ISSUED))


def test_bulk_approve_reports_each_and_exits_1_on_a_failure(run, two):
    draft, issued = two

    result = run("bulk", "approve", str(draft.pk), str(issued.pk))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"Approve job {BulkJob.objects.get().pk}: 1 of 2 done, 1 failed",
                                          f"  P-{draft.pk:<18} approved"]
    assert result.stderr.strip().splitlines()[-1] == (
        f"P-{issued.pk}: pre-bill {issued.pk} is issued: only a draft or a pre-bill in review can be approved")
    assert PreBill.objects.get(pk=draft.pk).status == PreBillStatus.APPROVED


def test_bulk_issue_then_zip_writes_the_stored_pdfs(run, run_json, two, tmp_path):
    draft, _ = two
    run("bulk", "approve", str(draft.pk))

    issued = run_json("bulk", "issue", str(draft.pk), "--on", "2026-04-30")
    result = run("bulk", "zip", "2026-00001", "-o", str(tmp_path / "out.zip"))

    assert (issued["done"], issued["items"][0]["message"]) == (1, "issued 2026-00001")
    assert Invoice.objects.get().issued_on == date(2026, 4, 30)
    assert result.exit_code == 0, result.stderr
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "out.zip").read_bytes()))
    assert archive.read("2026-00001.pdf") == bytes(InvoiceDocument.objects.get().content)


def test_naming_rows_and_a_run_is_a_usage_error(run, two):
    result = run("bulk", "approve", str(two[0].pk), "--run", "1")

    assert result.exit_code != 0 and BulkJob.objects.count() == 0
