"""`lexbill prebill list` and `lexbill prebill show ID` (see commands_billing for the groups)."""

from __future__ import annotations

from typing import Any

import click

from .access import cli_actor, cli_user
from .commands_billing import invoice, prebill  # noqa: F401
from .common import echo_json, find_prebill_detail, firm_command, not_found, with_amounts
from .main import cli  # noqa: F401

# Kept literal: commands are declared before Django is set up, so the models cannot be imported here
# (a test checks these equal PreBillStatus.values).
STATUSES = ["draft", "in_review", "approved", "issued", "cancelled"]


def _money(minor: int, currency: str) -> str:
    from lexbill.core.money import from_minor

    return f"{from_minor(minor, currency):,}"


def _period(prebill: Any) -> str:
    start = prebill.period_start.isoformat() if prebill.period_start else ""
    return f"{start}..{prebill.period_end.isoformat()}"


def _hours(value: Any) -> str:
    from lexbill.core.hours import display_hours

    return "" if value is None else display_hours(value)


@prebill.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only pre-bills in this status.")
@firm_command
def prebill_list(status: str | None, firm: Any, as_json: bool) -> None:
    """List pre-bills: client, matter, period, status, lines and total."""
    from lexbill.billing.selectors_prebill import prebill_list as select

    # annotated with line_count, lines_total_minor and invoice_numbers (an issued one: as issued)
    prebills: list[Any] = list(select(status=status, actor=cli_actor()))
    rows = [_list_row(p) for p in prebills]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no pre-bills")
        return
    click.echo(f"{'ID':>6}  {'CLIENT':<10} {'MATTER':<14} {'PERIOD':<22} {'STATUS':<10} {'LINES':>5} "
               f"{'TOTAL':>16}")
    for row in rows:
        click.echo(f"{row['id']:>6}  {row['client']:<10} {row['matter'] or '(all)':<14} "
                   f"{(row['period_start'] or '') + '..' + row['period_end']:<22} "
                   f"{row['status']:<10} {row['lines']:>5} "
                   f"{_money(row['total_minor'], row['currency']):>12} {row['currency']}"
                   + (f"  {', '.join(row['invoices'])}" if row["invoices"] else ""))


def _list_row(p: Any) -> dict[str, Any]:
    from lexbill.billing.selectors_prebill import invoice_numbers
    from lexbill.core.money import from_minor

    total = p.lines_total_minor or 0
    return with_amounts({"id": p.pk, "client": p.client.code, "matter": p.matter.number if p.matter else None,
                         "period_start": p.period_start.isoformat() if p.period_start else None,
                         "period_end": p.period_end.isoformat(), "status": p.status, "lines": p.line_count,
                         "currency": p.currency, "total_minor": total, "total": str(from_minor(total, p.currency)),
                         "invoices": invoice_numbers(p)}, p.currency)


def _line_marks(detail: Any) -> tuple[dict[int, str], dict[int, list[str]]]:
    """{line id: its first open question}, {line id: its UTBMS code problems}."""
    from lexbill.billing.selectors_codes import prebill_code_findings

    asked: dict[int, str] = {}
    for query in detail.open_queries:  # oldest first
        if query.line_id is not None:
            asked.setdefault(query.line_id, query.question)
    return asked, (prebill_code_findings(detail.prebill) if detail.lines else {})


def _detail_json(detail: Any) -> dict[str, Any]:
    from lexbill.billing.models import client_billing_settings

    p = detail.prebill
    t = detail.totals
    asked, findings = _line_marks(detail)
    return with_amounts({
        "id": p.pk, "client": p.client.code, "matter": p.matter.number if p.matter else None,
        "status": p.status, "currency": p.currency,
        "period_start": p.period_start.isoformat() if p.period_start else None,
        "period_end": p.period_end.isoformat(),
        "lines": [{
            "id": line.pk, "position": line.position, "kind": line.kind, "date": line.on_date.isoformat(),
            "timekeeper": line.timekeeper.initials if line.timekeeper else None,
            "hours_worked": line.hours_worked, "hours_billed": line.hours_billed, "rate_minor": line.rate_minor,
            "quantity": line.quantity, "unit_cost_minor": line.unit_cost_minor,
            "base_minor": line.base_minor, "adjustment_minor": line.adjustment_minor,
            "total_minor": line.total_minor, "narrative": line.narrative, "task_code": line.task_code,
            "activity_code": line.activity_code, "expense_code": line.expense_code,
            "is_no_charge": line.is_no_charge, "open_query": asked.get(line.pk),
            "code_problems": findings.get(line.pk, []),
        } for line in detail.lines],
        "totals": {"fees_minor": t.fees_minor, "expenses_minor": t.expenses_minor,
                   "adjustments_minor": t.adjustments_minor, "subtotal_minor": t.subtotal_minor},
        "open_queries": [{
            "id": q.pk, "line": q.line_id, "question": q.question, "asked_at": q.asked_at.isoformat(),
            "asked_by": q.asked_by.email if q.asked_by else None,
        } for q in detail.open_queries],
        "open_queries_override_reason": p.open_queries_override_reason,
        "lines_missing_codes": sorted(findings), "missing_codes": client_billing_settings(p.client).missing_codes,
    }, p.currency)


@prebill.command("code")
@click.argument("prebill_id", type=int, metavar="ID")
@click.argument("line_id", type=int, metavar="LINE")
@click.option("--task", "task_code", metavar="CODE", help='UTBMS task code of a fee line ("" clears it).')
@click.option("--activity", "activity_code", metavar="CODE", help="UTBMS activity code of a fee line.")
@click.option("--expense", "expense_code", metavar="CODE", help="UTBMS expense code of an expense line.")
@firm_command
def prebill_code(prebill_id: int, line_id: int, task_code: str | None, activity_code: str | None,
                 expense_code: str | None, firm: Any, as_json: bool) -> None:
    """Code a pre-bill line (what approval refuses for a client that requires codes), checked as time entries are."""
    from lexbill.billing.services.review_codes import prebill_line_set_codes

    detail = find_prebill_detail(firm, prebill_id, cli_actor())
    line = next((one for one in detail.lines if one.pk == line_id), None)
    if line is None:
        raise not_found("line", f"{line_id} on pre-bill {prebill_id}", firm)
    line = prebill_line_set_codes(line=line, actor=cli_user(), task_code=task_code, activity_code=activity_code,
                                  expense_code=expense_code)
    codes = {"task_code": line.task_code, "activity_code": line.activity_code, "expense_code": line.expense_code}
    if as_json:
        echo_json({"prebill": prebill_id, "line": line.pk, **codes})
    else:
        shown = " ".join(f"{field.split('_')[0]} {code}" for field, code in codes.items() if code)
        click.echo(f"line {line.pk} of pre-bill {prebill_id}: {shown or 'no codes'}")


@prebill.command("show")
@click.argument("prebill_id", type=int, metavar="ID")
@firm_command
def prebill_show(prebill_id: int, firm: Any, as_json: bool) -> None:
    """Show a pre-bill: every line, the totals and the open queries."""
    detail = find_prebill_detail(firm, prebill_id, cli_actor())
    if as_json:
        echo_json(_detail_json(detail))
        return
    p, cur = detail.prebill, detail.prebill.currency
    matter = f"{p.matter.number} {p.matter.name}" if p.matter else "(consolidated)"
    click.echo(f"pre-bill {p.pk}  {p.client.code} {p.client.name}  matter {matter}")
    click.echo(f"period {_period(p)}  status {p.status}  currency {cur}")
    click.echo(f"{'DATE':<10} {'TK':<5} {'WORKED':>6} {'BILLED':>6} {'RATE':>10} {'BASE':>12} {'ADJ':>12} "
               f"{'TOTAL':>12}  {'CODES':<10} NARRATIVE")
    asked, findings = _line_marks(detail)
    for line in detail.lines:
        codes = "/".join(c for c in (line.task_code, line.activity_code, line.expense_code) if c)
        rate = _money(line.rate_minor, cur) if line.rate_minor is not None else ""
        flag = " [no charge]" if line.is_no_charge else ""
        if line.pk in asked:
            flag += f" [? query open: {asked[line.pk]}]"
        if line.pk in findings:
            flag += f" [! codes: {'; '.join(findings[line.pk])}]"
        click.echo(f"{line.on_date.isoformat():<10} {line.timekeeper.initials if line.timekeeper else '':<5} "
                   f"{_hours(line.hours_worked):>6} {_hours(line.hours_billed):>6} {rate:>10} "
                   f"{_money(line.base_minor, cur):>12} {_money(line.adjustment_minor, cur):>12} "
                   f"{_money(line.total_minor, cur):>12}  {codes:<10} {line.narrative}{flag}")
    t = detail.totals
    for label, minor in (("fees", t.fees_minor), ("expenses", t.expenses_minor),
                         ("adjustments", t.adjustments_minor), ("total", t.subtotal_minor)):
        click.echo(f"{label:>12}: {_money(minor, cur):>14} {cur}")
    if p.open_queries_override_reason:
        click.echo(f"approved despite open queries: {p.open_queries_override_reason}")
    if detail.open_queries:
        click.echo("open queries:")
        for q in detail.open_queries:
            about = f"line {q.line_id}" if q.line_id else "the bill"
            click.echo(f"  #{q.pk} on {about} ({q.asked_by.email if q.asked_by else 'system'}, "
                       f"{q.asked_at:%Y-%m-%d}): {q.question}")
