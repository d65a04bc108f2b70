"""`lexbill audit verify` and `lexbill audit seal`: the audit trail's hash chain (core/audit.py)."""

from __future__ import annotations

import sys
from typing import Any

import click

from .common import echo_json, firm_command
from .main import cli


@cli.group()
def audit() -> None:
    """The audit trail: every change to records, time and money, in a per-firm hash chain."""


@audit.command("verify")
@firm_command
def audit_verify_command(firm: Any, as_json: bool) -> None:
    """Seal pending events, recompute the firm's chain and name the first broken link (exit 1 when broken)."""
    from lexbill.core.audit import audit_check

    report = audit_check(firm=firm)
    if as_json:
        echo_json({"firm": firm.slug, "events": report.events, "sealed_now": report.sealed_now,
                   "head_seq": report.head_seq, "head_hash": report.head_hash, "intact": not report.problems,
                   "problems": report.problems})
    elif not report.problems:
        click.echo(f"{firm.slug}: {report.events} events, chain intact; head #{report.head_seq} {report.head_hash}")
    if report.problems:
        more = len(report.problems) - 1
        click.echo(f"lexbill: error: the audit chain of {firm.slug} is broken: {report.problems[0]}"
                   + (f" ({more} more problem{'s' if more > 1 else ''}: --json lists them)" if more else ""),
                   err=True)
        sys.exit(1)


@audit.command("seal")
@firm_command
def audit_seal_command(firm: Any, as_json: bool) -> None:
    """Chain the firm's events not sealed yet (each commit and `verify` do it too; this waits for a sealer at work)."""
    from lexbill.core.audit import audit_seal

    sealed = audit_seal(firm_id=firm.pk, wait=True)
    if as_json:
        echo_json({"firm": firm.slug, "sealed": sealed})
    else:
        click.echo(f"{firm.slug}: {sealed} event{'' if sealed == 1 else 's'} sealed")
