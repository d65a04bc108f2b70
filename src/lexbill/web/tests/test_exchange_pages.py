"""Import and export in the web: the CLI's importers and exporters, with a background import and its progress."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from lexbill.clients.models import Client
from lexbill.core.models import AuditEvent
from lexbill.exchange import jobs
from lexbill.exchange.exporters import export_file
from lexbill.exchange.tasks import run_import_job
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories

from .records_support import login_as

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CLIENTS_HEADER = ["code", "name", "currency", "payment_terms_days"]


@pytest.fixture
def clerk(client, firm, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LEXBILL_HOME = tmp_path
    settings.TASKS = IMMEDIATE
    login_as(client, firm, "billing")
    return client


def csv_upload(name: str, header: list[str], rows: list[list[str]]) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), content_type="text/csv")


def upload(clerk, kind: str, file: SimpleUploadedFile, **extra: str):  # type: ignore[no-untyped-def]
    return clerk.post(reverse("exchange_import"), {"kind": kind, "file": file, **extra})


def test_a_good_csv_is_imported_and_its_page_shows_the_summary(clerk, firm):
    response = upload(clerk, "clients", csv_upload("clients.csv", CLIENTS_HEADER, [
        ["INITECH", "Initech LLC", "USD", "30"], ["UMBRELLA", "Umbrella plc", "GBP", "45"]]))

    assert response.status_code == 302
    page = clerk.get(response["Location"]).content.decode()
    assert "2 rows read: 2 created, 0 updated, 0 unchanged." in page
    assert 'hx-trigger="every 1s"' not in page  # finished: the page stops polling
    assert list(Client.objects.order_by("code").values_list("code", "currency", "payment_terms_days")) == [
        ("INITECH", "USD", 30), ("UMBRELLA", "GBP", 45)]
    assert AuditEvent.objects.filter(action="import.clients").count() == 1
    assert [p.name for p in jobs.jobs_dir().glob("*/*")] == ["state.json"]  # the uploaded file is not kept


def test_a_broken_csv_lists_each_bad_row_by_number_and_imports_nothing(clerk, firm):
    factories.make_client(firm, code="ACME", name="Acme Corp")
    before = list(Client.objects.values_list("code", "name"))

    response = upload(clerk, "clients", csv_upload("clients.csv", CLIENTS_HEADER, [
        ["INITECH", "Initech LLC", "USD", "30"],  # row 2: good, but not imported either
        ["", "No code", "USD", "30"],  # row 3
        ["GLOBEX", "Globex", "USD", "thirty"]]))  # row 4

    page = clerk.get(response["Location"]).content.decode()
    assert "2 problems in 3 rows: nothing was imported." in page
    table = page.split('id="import-problems"')[1].split("</table>")[0]
    assert re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', table) == [
        ("3", "code", "is required"), ("4", "payment_terms_days", "not a number (&#x27;thirty&#x27;)")]
    assert list(Client.objects.values_list("code", "name")) == before
    assert not AuditEvent.objects.filter(action="import.clients").exists()


def test_an_xlsx_workbook_is_imported(clerk, firm, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["initials", "first_name", "last_name", "classification", "standard_rate"])
    sheet.append(["MK", "Maria", "Kent", "PT", 525.5])
    out = io.BytesIO()
    book.save(out)

    response = upload(clerk, "timekeepers", SimpleUploadedFile("people.xlsx", out.getvalue()))

    assert "1 row read: 1 created" in clerk.get(response["Location"]).content.decode()
    assert Timekeeper.objects.get(initials="MK").standard_rate_minor == 52550


@pytest.mark.parametrize(("name", "content", "message"), [
    ("clients.csv", b"code;name\nX;Y\n", "unknown column: code;name"),
    ("clients.csv", b"", "The submitted file is empty."),
    ("clients.csv", b"\n", "missing required columns: code, name"),
    ("clients.pdf", b"%PDF-1.7", "clients.pdf is neither a .csv nor an .xlsx file"),
    ("clients.xlsx", b"not a workbook", "clients.xlsx is not a readable XLSX workbook"),
])
def test_an_unreadable_file_or_wrong_columns_are_refused_on_the_form(clerk, firm, name, content, message):
    response = upload(clerk, "clients", SimpleUploadedFile(name, content))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Client.objects.exists() and not DBTaskResult.objects.exists()
    assert not jobs.jobs_dir().exists() or list(jobs.jobs_dir().iterdir()) == []


def test_a_dry_run_counts_and_writes_nothing(clerk, firm):
    response = upload(clerk, "clients", csv_upload("c.csv", CLIENTS_HEADER, [["INITECH", "Initech", "USD", "30"]]),
                      dry_run="on")

    assert "1 row read: 1 would be created" in clerk.get(response["Location"]).content.decode()
    assert not Client.objects.exists()


def test_with_the_database_backend_the_import_waits_for_a_worker_and_shows_progress(
        clerk, firm, settings, monkeypatch):
    settings.TASKS = DATABASE
    rows = [[f"C{n:04d}", f"Client {n}", "USD", "30"] for n in range(600)]
    response = upload(clerk, "clients", csv_upload("big.csv", CLIENTS_HEADER, rows))
    page = clerk.get(response["Location"]).content.decode()
    token = response["Location"].split("job=")[1]
    saved = []
    real_save = jobs._save
    monkeypatch.setattr(jobs, "_save", lambda job: (saved.append((job.status, job.done)), real_save(job)))

    assert "waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    assert not Client.objects.exists()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [token]
    run_import_job.call(token)  # what `lexbill worker` does with the queued task

    assert saved == [("running", 0), ("running", 250), ("running", 500), ("done", 600)]
    fragment = clerk.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section id="import-job"') and "600 rows read: 600 created" in fragment
    assert Client.objects.count() == 600


def test_another_firms_import_is_not_found(clerk, firm, other_firm):
    response = upload(clerk, "clients", csv_upload("c.csv", CLIENTS_HEADER, [["INITECH", "Initech", "USD", "30"]]))
    token = response["Location"].split("job=")[1]
    stranger = factories.make_user(other_firm, email="billing@other.example", role="billing")
    clerk.force_login(stranger)

    assert clerk.get(reverse("exchange_job"), {"job": token}).status_code == 404
    assert clerk.get(reverse("exchange_job"), {"job": "../../secret_key"}).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_downloads_what_the_cli_writes(clerk, firm, matter, tmp_path, fmt):
    response = clerk.get(reverse("exchange_export"), {"kind": "matters", "format": fmt})

    body = response.content
    assert response["Content-Disposition"] == f'attachment; filename="matters.{fmt}"'
    cli_file = tmp_path / f"cli.{fmt}"
    export_file(firm=firm, kind="matters", path=cli_file, fmt=fmt)
    if fmt == "csv":
        assert body == cli_file.read_bytes()
    else:
        downloaded = tmp_path / "web.xlsx"
        downloaded.write_bytes(body)
        assert [list(r) for r in load_workbook(downloaded).active.iter_rows(values_only=True)] == [
            list(r) for r in load_workbook(cli_file).active.iter_rows(values_only=True)]


def test_the_index_lists_every_kind_and_an_unknown_export_is_404(clerk):
    page = clerk.get(reverse("exchange_index")).content.decode()

    for kind in ("timekeepers", "clients", "matters", "rates", "time", "expenses"):
        assert f"?kind={kind}&amp;format=csv" in page
    assert 'id="import-form"' in page
    assert clerk.get(reverse("exchange_export"), {"kind": "secrets"}).status_code == 404
