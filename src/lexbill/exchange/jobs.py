"""Imports started from the web: a background job (django-tasks) with progress, around the CLI's `import_file`.

Why a job and where its state lives: the CLI shows progress on long imports, so the web does too, and a
20,000-row file must not hold a web worker. An import is one all-or-nothing transaction, so its progress
cannot be read from the database until it commits; the job therefore keeps the uploaded file and a small
state file (status, rows done of total, the final result) in a folder of its own under
`LEXBILL_HOME/imports/`, which the web server and `lexbill worker` share (several app servers: a shared
volume). The import itself is exactly the CLI's: same reader, same validation, same row numbers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model

from lexbill.access import enforce
from lexbill.core.errors import LexbillError, NotFound, ValidationFailed
from lexbill.core.models import Firm

from .columns import KINDS, match_headers
from .importers import import_file
from .readers import XLSX_SUFFIXES, read_table

X = TypeVar("X")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
SUFFIXES = (".csv", *XLSX_SUFFIXES)
PROGRESS_EVERY = 250  # rows between two writes of the state file
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class ImportJob:
    token: str
    firm_id: int
    user_id: int | None
    kind: str
    filename: str
    dry_run: bool
    status: str = QUEUED
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None  # ImportResult.as_json() once done
    error: str = ""  # why a job failed before it could check its rows
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.is_finished or not self.total else min(100, self.done * 100 // self.total)


def jobs_dir() -> Path:
    return Path(settings.LEXBILL_HOME) / "imports"


def _folder(token: str) -> Path:
    if not _TOKEN.match(token):  # never a path built from anything but our own tokens
        raise NotFound("no such import")
    return jobs_dir() / token


def _save(job: ImportJob) -> None:
    state = _folder(job.token) / "state.json"
    scratch = state.with_suffix(".tmp")
    scratch.write_text(json.dumps(asdict(job)), encoding="utf-8")
    os.replace(scratch, state)  # readers never see half a file


def _load(token: str) -> ImportJob:
    try:
        data = json.loads((_folder(token) / "state.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound("no such import") from exc
    return ImportJob(**data)


def _upload(job: ImportJob) -> Path:
    return _folder(job.token) / job.filename  # the person's own file name, so that messages name it


def import_job_start(*, firm: Firm, actor: Any, kind: str, filename: str, content: bytes,
                     dry_run: bool = False) -> ImportJob:
    """Check the file can be read and has the kind's columns, keep it, and queue the import.

    A file that cannot be read or whose header is wrong is refused here (ValidationFailed, nothing kept);
    bad rows are found by the job, which then imports nothing, as the CLI does.
    """
    enforce(actor, firm, "exports.change")
    if kind not in KINDS:
        raise ValidationFailed(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})", field="kind")
    name = re.sub(r"[^\w.\- ]", "_", Path(filename or "upload").name).lstrip(".") or "upload"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise ValidationFailed(f"{name} is neither a .csv nor an .xlsx file", field="file")
    job = ImportJob(token=uuid.uuid4().hex, firm_id=firm.pk, user_id=getattr(actor, "pk", None), kind=kind,
                    filename=name, dry_run=dry_run)
    folder = _folder(job.token)
    folder.mkdir(parents=True)
    try:
        path = _upload(job)
        path.write_bytes(content)
        table = read_table(path)
        match_headers(kind, table.headers)
        job.total = len(table.rows)
        _save(job)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    from .tasks import run_import_job  # the task module imports this one

    run_import_job.enqueue(job.token)
    return _load(job.token)  # an inline task backend has already finished it


def import_job_get(*, firm: Firm, actor: Any, token: str) -> ImportJob:
    """The firm's import job; another firm's (or none) is NotFound, never a hint."""
    enforce(actor, firm, "exports.change")
    job = _load(token)
    if job.firm_id != firm.pk:
        raise NotFound("no such import")
    return job


def import_job_run(token: str, firm: Firm) -> ImportJob:
    """Run a queued job inside the firm's scope (the task); its state file follows the rows."""
    job = _load(token)
    if job.status != QUEUED or job.firm_id != firm.pk:
        return job
    job.status = RUNNING
    _save(job)
    user = get_user_model().objects.filter(pk=job.user_id).first() if job.user_id else None

    def progress(items: Iterable[X], total: int, label: str) -> Iterable[X]:
        for number, item in enumerate(items, start=1):
            yield item
            if number % PROGRESS_EVERY == 0:
                job.done = number
                _save(job)

    try:
        result = import_file(firm=firm, kind=job.kind, path=_upload(job), actor=user, dry_run=job.dry_run,
                             progress=progress)
    except LexbillError as exc:
        job.status, job.error = FAILED, exc.message
    except Exception:
        job.status, job.error = FAILED, "the import stopped on an unexpected error; nothing was imported"
        _save(job)
        raise
    else:
        job.status, job.done, job.result = DONE, job.total, result.as_json()
        job.problems = job.result["errors"]
    finally:
        _upload(job).unlink(missing_ok=True)  # the rows are in the database now, or nowhere
    _save(job)
    return job
