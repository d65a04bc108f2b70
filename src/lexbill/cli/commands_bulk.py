"""`lexbill bulk approve|issue|send|zip`: the web's bulk actions, run here with a progress bar.

Each subcommand records a bulk job (billing/services/bulk.py) over the rows named, or over "all in this run"
(--run ID), and runs it at once in this process: every item through its single service, one failing alone
with its reason. Exit 0 when every item succeeded; otherwise each failure on stderr, one line each, and exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .access import cli_actor, cli_user
from .common import echo_json, find_bill_run, find_invoice, firm_command, progress_bar
from .main import cli
from .types import DATE


@cli.group()
def bulk() -> None:
    """Approve, issue, send or download many pre-bills or invoices at once."""


def _run(firm: Any, kind: str, ids: list[int], run_id: int | None, as_json: bool,
         issued_on: Any = None) -> Any:
    from lexbill.billing.selectors_bulk import bulk_job_items, run_targets
    from lexbill.billing.services.bulk import bulk_job_create, bulk_job_execute
    from lexbill.core.errors import ValidationFailed

    if bool(ids) == (run_id is not None):
        raise click.UsageError("name the rows or --run ID (not both)")
    if run_id is not None:
        ids = run_targets(find_bill_run(firm, run_id), kind, cli_actor())
        if not ids:
            raise ValidationFailed(f"nothing in bill run {run_id} to {kind}")
    user = cli_user()
    job = bulk_job_create(firm=firm, kind=kind, actor=user, ids=ids, issued_on=issued_on, operator=user is None,
                          enqueue=False)
    with progress_bar(f"{kind} job {job.pk}", "item", total=job.total) as progress:
        job = bulk_job_execute(job=job, progress=progress)
    items = list(bulk_job_items(job))
    if as_json:
        echo_json({"job": job.pk, "kind": job.kind, "status": job.status, "done": job.done_count,
                   "failed": job.failed_count, "items": [{"id": i.target_id, "label": i.label, "status": i.status,
                                                          "message": i.message} for i in items]})
    else:
        click.echo(f"{job.get_kind_display()} job {job.pk}: {job.done_count} of {job.total} done, "
                   f"{job.failed_count} failed")
        for item in items:
            if item.status == "done":
                click.echo(f"  {item.label:<20} {item.message}")
    return job


def _exit_on_failures(job: Any) -> None:
    """Each failed item's reason on stderr, one line each, and exit 1."""
    from lexbill.billing.selectors_bulk import bulk_job_items

    failed = [item for item in bulk_job_items(job) if item.status != "done"]
    for item in failed:
        click.echo(item.message, err=True)
    if failed:
        sys.exit(1)


def _invoice_ids(firm: Any, numbers: tuple[str, ...]) -> list[int]:
    return [find_invoice(firm, n, cli_actor()).pk for n in numbers]  # a typo refuses the whole job first


run_option = click.option("--run", "run_id", type=int, metavar="ID", help="All of this bill run's rows instead.")


@bulk.command("approve")
@click.argument("prebill_ids", nargs=-1, type=int, metavar="PREBILL_ID...")
@run_option
@firm_command
def bulk_approve(prebill_ids: tuple[int, ...], run_id: int | None, firm: Any, as_json: bool) -> None:
    """Approve pre-bills (--run: the run's drafts and pre-bills in review)."""
    _exit_on_failures(_run(firm, "approve", list(prebill_ids), run_id, as_json))


@bulk.command("issue")
@click.argument("prebill_ids", nargs=-1, type=int, metavar="PREBILL_ID...")
@click.option("--on", "on", type=DATE, help="Invoice date, YYYY-MM-DD (default: today in the firm's zone).")
@run_option
@firm_command
def bulk_issue(prebill_ids: tuple[int, ...], on: Any, run_id: int | None, firm: Any, as_json: bool) -> None:
    """Issue approved pre-bills as invoices dated --on (--run: the run's approved pre-bills)."""
    from lexbill.billing.services.bulk import firm_today

    issued_on = on or firm_today(firm)
    _exit_on_failures(_run(firm, "issue", list(prebill_ids), run_id, as_json, issued_on=issued_on))


@bulk.command("send")
@click.argument("numbers", nargs=-1, metavar="NUMBER...")
@run_option
@firm_command
def bulk_send(numbers: tuple[str, ...], run_id: int | None, firm: Any, as_json: bool) -> None:
    """Email invoices to their clients' billing contacts (--run: the run's invoices)."""
    _exit_on_failures(_run(firm, "send", _invoice_ids(firm, numbers), run_id, as_json))


@bulk.command("zip")
@click.argument("numbers", nargs=-1, metavar="NUMBER...")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the ZIP.")
@run_option
@firm_command
def bulk_zip(numbers: tuple[str, ...], output: Path, run_id: int | None, firm: Any, as_json: bool) -> None:
    """Write the invoices' PDFs, LEDES files and a manifest into one ZIP (--run: the run's invoices)."""
    job = _run(firm, "zip", _invoice_ids(firm, numbers), run_id, as_json)
    if job.zip_content:  # what succeeded is written even when some invoices failed
        output.write_bytes(bytes(job.zip_content))
        if not as_json:
            click.echo(f"Wrote {output} (sha256 {job.zip_sha256})")
    _exit_on_failures(job)
