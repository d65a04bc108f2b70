"""/bulk-jobs: 202 and a background task; GET follows each item's outcome; the ZIP of a zip job; a retried
request with the same Idempotency-Key starts one job; refusals create nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from lexbill.billing.models import BulkJob, Invoice, InvoiceDocument, PreBill, PreBillStatus
from lexbill.billing.tests.billing_helpers import MARCH_2
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .billing_api_helpers import api_as
from .conftest import BASE

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _prebill(firm, client, partner, associate, hours, status=PreBillStatus.APPROVED):
    matter = factories.make_matter(firm, client=client, billing_attorney=partner)
    return make_prebill(firm, matter, work=[(associate, MARCH_2, hours, "Work")], status=status)


@pytest.fixture
def post(api, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE

    def run(body, headers=None):
        with django_capture_on_commit_callbacks(execute=True):
            return api.client.post(BASE + "/bulk-jobs/", json.dumps(body), content_type="application/json",
                                   headers={**api._headers(), **(headers or {})})

    return run


def test_bulk_issue_answers_202_and_each_items_outcome(api, post, firm, client_acme, partner, associate):
    good = _prebill(firm, client_acme, partner, associate, "1.0")
    draft = _prebill(firm, client_acme, partner, associate, "2.0", status=PreBillStatus.DRAFT)

    response = post({"kind": "issue", "ids": [good.pk, draft.pk], "issued_on": "2026-04-30"})

    assert response.status_code == 202
    job = api.get(f"/bulk-jobs/{response.json()['id']}").json()
    assert {k: job[k] for k in ("kind", "status", "total", "done", "failed", "issued_on")} == {
        "kind": "issue", "status": "done", "total": 2, "done": 1, "failed": 1, "issued_on": "2026-04-30"}
    assert [(i["label"], i["status"], i["message"]) for i in job["items"]] == [
        (f"P-{good.pk}", "done", "issued 2026-00001"),
        (f"P-{draft.pk}", "failed", f"P-{draft.pk}: pre-bill {draft.pk} is draft: only an approved pre-bill can "
                                    "be issued")]
    assert list(Invoice.objects.values_list("issued_on", flat=True)) == [date(2026, 4, 30)]


def test_the_zip_of_a_zip_job(api, post, firm, client_acme, partner, associate):
    good = _prebill(firm, client_acme, partner, associate, "1.0")
    post({"kind": "issue", "ids": [good.pk], "issued_on": "2026-04-30"})
    invoice = Invoice.objects.get()

    job = post({"kind": "zip", "ids": [invoice.pk]}).json()
    response = api.get(f"/bulk-jobs/{job['id']}/zip")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("2026-00001.pdf") == bytes(InvoiceDocument.objects.get(invoice=invoice).content)
    assert api.get(f"/bulk-jobs/{job['id'] - 1}/zip").status_code == 404  # the issue job has no ZIP


def test_a_retry_with_the_same_key_starts_one_job(post, firm, client_acme, partner, associate):
    prebill = _prebill(firm, client_acme, partner, associate, "1.0", status=PreBillStatus.DRAFT)
    body = {"kind": "approve", "ids": [prebill.pk]}

    first = post(body, {"Idempotency-Key": "month-end-approve-1"})
    second = post(body, {"Idempotency-Key": "month-end-approve-1"})

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] == second.json()["id"] and BulkJob.objects.count() == 1
    assert PreBill.objects.get(pk=prebill.pk).status == PreBillStatus.APPROVED


def test_refusals_create_nothing(firm, client_acme, partner, associate, api, post):
    prebill = _prebill(firm, client_acme, partner, associate, "1.0")
    accountant, _ = api_as(firm, "accounting")

    refused = accountant.post("/bulk-jobs/", {"kind": "issue", "ids": [prebill.pk], "issued_on": "2026-04-30"})
    unknown = post({"kind": "approve", "ids": [prebill.pk, 99999999]})
    neither = post({"kind": "send"})

    assert refused.status_code == 403 and unknown.status_code == 404 and neither.status_code == 422
    assert (neither.json()["detail"], neither.json()["field"]) == ("name either ids or a bill_run", "ids")
    assert (BulkJob.objects.count(), Invoice.objects.count()) == (0, 0)
