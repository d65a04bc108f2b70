"""`lexbill billrun`: turn WIP up to a cut-off into pre-bills (see commands_billing for the groups)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from .access import cli_user
from .commands_billing import invoice, prebill  # noqa: F401
from .common import echo_json, find_client, find_matter, find_timekeeper, firm_command, progress_bar, with_amounts
from .idempotency import key_option, keyed_call
from .main import cli
from .types import DATE


def _lookup(firm: Any, client_code: str | None, matter_numbers: tuple[str, ...],
            initials: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if client_code:
        found["client"] = find_client(firm, client_code)
    if matter_numbers:
        found["matters"] = [find_matter(firm, n) for n in dict.fromkeys(matter_numbers)]
    if initials:
        found["billing_attorney"] = find_timekeeper(firm, initials)
    return found


@cli.command("billrun")
@click.option("--through", "through", type=DATE, required=True, help="Cut-off date worked, YYYY-MM-DD.")
@click.option("--client", "client_code", metavar="CODE", help="Only this client's matters.")
@click.option("--matter", "matter_numbers", multiple=True, metavar="NUMBER", help="Only these matters (repeat).")
@click.option("--attorney", "initials", metavar="INITIALS", help="Only matters this attorney bills.")
@key_option
@firm_command
def billrun(firm: Any, through: date, client_code: str | None, matter_numbers: tuple[str, ...],
            initials: str | None, as_json: bool, idempotency_key: str | None) -> None:
    """Create pre-bills from unbilled time and expenses up to --through."""

    from lexbill.billing.models import BillRun, BillRunStatus, PreBill
    from lexbill.billing.services.billrun import billrun_create, billrun_execute
    from lexbill.core.money import amount_text, format_money

    through_on = through
    selection = _lookup(firm, client_code, matter_numbers, initials)
    if idempotency_key is None:
        run = billrun_create(firm=firm, through_on=through_on, actor=cli_user(), **selection)
    else:
        # The key is stored with the run's creation, not around the whole run (each pre-bill is its own
        # transaction): a rerun with the key finds the same run, finishes it if it was interrupted, and
        # reports it, instead of starting another.
        created = keyed_call(key=idempotency_key, arguments={
            "firm": firm, "through": through_on, "client": client_code, "matters": sorted(matter_numbers),
            "attorney": initials}, perform=lambda: {"bill_run": billrun_create(
                firm=firm, through_on=through_on, actor=cli_user(), **selection).pk})
        run = BillRun.objects.get(pk=created["bill_run"])
    with progress_bar(f"bill run {run.pk}", "matter") as progress:
        if run.status in (BillRunStatus.PENDING, BillRunStatus.RUNNING):
            run = billrun_execute(bill_run=run, actor=cli_user(), progress=progress)
    prebills: list[dict[str, Any]] = []
    for pb in PreBill.objects.filter(bill_run=run).select_related("client", "matter").prefetch_related("lines") \
            .order_by("pk"):
        lines = list(pb.lines.all())
        prebills.append({"id": pb.pk, "client": pb.client.code, "matter": pb.matter.number if pb.matter else None,
                         "matters": sorted({ln.matter.number for ln in lines}) if pb.matter is None else None,
                         "currency": pb.currency, "lines": len(lines),
                         "total_minor": sum(ln.total_minor for ln in lines)})
    totals: dict[str, int] = {}
    for pb_json in prebills:
        totals[pb_json["currency"]] = totals.get(pb_json["currency"], 0) + pb_json["total_minor"]
    if as_json:
        echo_json({"bill_run": run.pk, "through": run.through_on.isoformat(), "status": run.status,
                   "prebills": [with_amounts(p, p["currency"]) for p in prebills], "skipped": run.skipped,
                   "totals_minor": totals,
                   "totals": {currency: amount_text(total, currency) for currency, total in totals.items()}})
        return
    click.echo(f"Bill run {run.pk} through {run.through_on}: {len(prebills)} pre-bills, {len(run.skipped)} skipped")
    for pb_json in prebills:
        label = pb_json["matter"] or f"{pb_json['client']} (consolidated: {', '.join(pb_json['matters'])})"
        click.echo(f"  pre-bill {pb_json['id']:>6}  {label:<40} {pb_json['lines']:>4} lines  "
                   f"{format_money(pb_json['total_minor'], pb_json['currency']):>18}")
    for skip in run.skipped:
        click.echo(f"  skipped  {skip['matter']:<20} {skip['reason']}: {skip['detail']}")
    for currency, total in sorted(totals.items()):
        click.echo(f"Total {format_money(total, currency)}")
