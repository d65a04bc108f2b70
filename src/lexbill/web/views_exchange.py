"""Import and export in the web: the CLI's importers and exporters behind an upload form and download links.

An upload is checked (readable, the kind's columns) and queued as a background import (`exchange.jobs`):
its page shows the rows done while it runs (polled, as a bill run's page is), then the summary, or the
row-numbered errors of a file that was refused whole. Nothing here parses a file: `exchange` does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from lexbill.core.errors import LexbillError, NotFound
from lexbill.exchange.columns import KIND_NAMES, KINDS
from lexbill.exchange.exporters import export_file
from lexbill.exchange.jobs import import_job_get, import_job_start

from .access import can_do, firm_member_required
from .service_forms import ServiceErrorsMixin
from .views_records.common import actor_of, firm_of

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
KIND_CHOICES = [(kind, kind.capitalize()) for kind in KIND_NAMES]


class ImportForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, label="What the file holds")
    file = forms.FileField(label="CSV or XLSX file", help_text="Columns: see the table below (docs/csv-formats.md).")
    dry_run = forms.BooleanField(required=False, label="Check only (dry run): count what would change, write nothing")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload


def _kinds() -> list[dict[str, Any]]:
    return [{"name": kind, "columns": [(c.name, c.type.value, c.required) for c in columns]}
            for kind, columns in KINDS.items()]


@firm_member_required("exports.view")
def exchange_index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/exchange/index.html", {
        "kinds": _kinds(), "formats": FORMATS, "can_import": can_do(request, "exports.change"),
        "form": ImportForm(),
    })


@firm_member_required("exports.change")
def exchange_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_start(firm=firm_of(request), actor=actor_of(request), kind=form.cleaned_data["kind"],
                                   filename=upload.name, content=upload.read(),
                                   dry_run=form.cleaned_data["dry_run"])
        except LexbillError as exc:
            form.add_service_error(exc)
        else:
            return redirect(f"{reverse('exchange_job')}?job={job.token}")
    status = 422 if request.method == "POST" else 200
    return render(request, "web/exchange/import.html", {"form": form, "kinds": _kinds()}, status=status)


@firm_member_required("exports.change")
def exchange_job(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("job", "")
    if not token:
        return redirect("exchange_import")
    try:
        job = import_job_get(firm=firm_of(request), actor=actor_of(request), token=token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    template = "web/exchange/_job.html" if request.headers.get("HX-Request") else "web/exchange/job.html"
    return render(request, template, {"job": job})


@firm_member_required("exports.view")
def exchange_export(request: HttpRequest) -> HttpResponse:
    kind, fmt = request.GET.get("kind", ""), request.GET.get("format", "csv")
    if not kind:
        return redirect("exchange_index")
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404("no such export")
    handle, name = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(handle)
    path = Path(name)
    try:
        export_file(firm=firm_of(request), kind=kind, path=path, fmt=fmt)
        body = path.read_bytes()
    finally:
        path.unlink()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
