"""Bulk work in the web: tick rows (or take "all in this run"), approve / issue with a date / send / ZIP, and
follow the job's page; one bad row fails alone with its reason."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lexbill.billing.models import BillRun, BulkJob, Invoice, InvoiceDocument, PreBill, PreBillStatus
from lexbill.billing.tasks import run_bulk_job
from lexbill.billing.tests.billing_helpers import MARCH_2
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .invoices_support import plain_invoice
from .records_support import login_as

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


def _prebill(firm, client_acme, partner, associate, hours, status=PreBillStatus.DRAFT, run=None):
    matter = factories.make_matter(firm, client=client_acme, billing_attorney=partner)
    return make_prebill(firm, matter, work=[(associate, MARCH_2, hours, "Work")], status=status, bill_run=run)


def test_the_lists_offer_the_bulk_actions_the_caller_may_do(clerk, client, firm, client_acme, partner, associate):
    prebill = _prebill(firm, client_acme, partner, associate, "1.0")

    page = clerk.get(reverse("prebill_list")).content.decode()
    assert f'name="ids" value="{prebill.pk}" form="bulk-prebills"' in page
    assert 'formaction="/bulk/approve/"' in page and 'formaction="/bulk/issue/"' in page
    invoices = clerk.get(reverse("invoice_list")).content.decode()
    assert 'formaction="/bulk/send/"' in invoices and 'formaction="/bulk/zip/"' in invoices

    login_as(client, firm, "accounting")  # may look and download, not approve, issue or send
    assert "/bulk/approve/" not in client.get(reverse("prebill_list")).content.decode()
    page = client.get(reverse("invoice_list")).content.decode()
    assert 'formaction="/bulk/zip/"' in page and "/bulk/send/" not in page


def test_bulk_approve_from_the_list_shows_each_result(clerk, firm, client_acme, partner, associate, settings,
                                                      django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    draft = _prebill(firm, client_acme, partner, associate, "1.0")
    issued_already = _prebill(firm, client_acme, partner, associate, "2.0", status=PreBillStatus.ISSUED)

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("bulk_approve"), {"ids": [draft.pk, issued_already.pk],
                                                        "next": reverse("prebill_list")})

    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bulk_job_detail", args=[job.pk])
    assert PreBill.objects.get(pk=draft.pk).status == PreBillStatus.APPROVED
    page = clerk.get(response["Location"]).content.decode()
    assert "2 of 2 done" in page and "1 succeeded" in page and "1 failed" in page
    assert f"P-{issued_already.pk}: pre-bill {issued_already.pk} is issued" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling


def test_issue_all_approved_in_the_run_with_the_chosen_date(clerk, firm, client_acme, partner, associate, settings,
                                                            django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    run = BillRun.objects.create(firm=firm, through_on=date(2026, 3, 31), status="done")
    approved = _prebill(firm, client_acme, partner, associate, "1.0", status=PreBillStatus.APPROVED, run=run)
    draft = _prebill(firm, client_acme, partner, associate, "2.0", run=run)
    elsewhere = _prebill(firm, client_acme, partner, associate, "3.0", status=PreBillStatus.APPROVED)
    page = clerk.get(reverse("billrun_detail", args=[run.pk])).content.decode()
    assert f'name="run" value="{run.pk}"' in page and "Issue approved" in page

    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(reverse("bulk_issue"), {"run": run.pk, "issued_on": "2026-04-15"})

    assert list(Invoice.objects.values_list("prebill_id", "issued_on", "total_minor")) == [
        (approved.pk, date(2026, 4, 15), 30000)]
    statuses = dict(PreBill.objects.values_list("pk", "status"))
    assert (statuses[draft.pk], statuses[elsewhere.pk]) == (PreBillStatus.DRAFT, PreBillStatus.APPROVED)


def test_a_refused_bulk_action_changes_nothing(client, firm, client_acme, partner, associate):
    prebill = _prebill(firm, client_acme, partner, associate, "1.0", status=PreBillStatus.APPROVED)
    login_as(client, firm, "accounting")

    response = client.post(reverse("bulk_issue"), {"ids": [prebill.pk], "issued_on": "2026-04-15"})

    assert response.status_code == 403
    assert (BulkJob.objects.count(), Invoice.objects.count()) == (0, 0)


def test_an_empty_selection_is_refused_with_a_message(clerk):
    response = clerk.post(reverse("bulk_send"), {"next": "/invoices/"}, follow=True)

    assert response.redirect_chain == [("/invoices/", 302)]
    assert "choose at least one pre-bill or invoice" in response.content.decode()
    assert BulkJob.objects.count() == 0


def test_the_zip_job_page_links_the_download(clerk, firm, matter, associate, settings,
                                             django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    invoice = plain_invoice(firm, matter, associate, "1.0", date(2026, 4, 2))

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("bulk_zip"), {"ids": [invoice.pk]})

    job = BulkJob.objects.get()
    assert f'href="/bulk/{job.pk}/zip/"' in clerk.get(response["Location"]).content.decode()
    download = clerk.get(reverse("bulk_job_zip", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.read("2026-00001.pdf") == bytes(InvoiceDocument.objects.get(invoice=invoice).content)


def test_with_the_database_backend_the_job_waits_for_a_worker(clerk, firm, matter, associate, settings,
                                                               django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    invoice = plain_invoice(firm, matter, associate, "1.0", date(2026, 4, 2))

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("bulk_zip"), {"ids": [invoice.pk]})

    job = BulkJob.objects.get()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == ("lexbill.billing.tasks.run_bulk_job", [job.pk])
    page = clerk.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 1s"' in page and "0 of 1 done" in page
    run_bulk_job.call(job.pk)  # what `lexbill worker` does
    fragment = clerk.get(reverse("bulk_job_progress", args=[job.pk])).content.decode()
    assert "1 of 1 done" in fragment and 'hx-trigger="every 1s"' not in fragment


def test_an_attorney_does_not_see_another_users_job(clerk, client, firm, matter, associate, settings):
    settings.TASKS = DATABASE
    invoice = plain_invoice(firm, matter, associate, "1.0", date(2026, 4, 2))
    clerk.post(reverse("bulk_zip"), {"ids": [invoice.pk]})
    job = BulkJob.objects.get()

    login_as(client, firm, "attorney")

    assert client.get(reverse("bulk_job_detail", args=[job.pk])).status_code == 404


def test_the_job_page_costs_the_same_queries_for_3_or_30_items(clerk, firm, client_acme, partner, associate,
                                                                settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TASKS = DATABASE  # queued, not run: the page lists pending items
    counts = []
    for size in (3, 30):
        ids = [_prebill(firm, client_acme, partner, associate, "0.5").pk for _ in range(size)]
        clerk.post(reverse("bulk_approve"), {"ids": ids})
        job = BulkJob.objects.order_by("-pk").first()
        with CaptureQueriesContext(connection) as queries:
            page = clerk.get(reverse("bulk_job_detail", args=[job.pk])).content.decode()
        assert page.count('class="item-pending"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
