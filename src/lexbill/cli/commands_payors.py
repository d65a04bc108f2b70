"""`lexbill matter payors NUMBER`: split billing — who pays which share of a matter's bills."""

from __future__ import annotations

from typing import Any

import click

from .access import cli_user
from .commands_fees import matter
from .common import echo_json, find_client, find_matter, firm_command
from .types import PAYOR_SHARE, PayorSpec


def _payor_json(row: Any) -> dict[str, Any]:
    return {"client": row.client.code, "share_bp": row.share_bp, "client_matter_id": row.client_matter_id}


@matter.command("payors")
@click.argument("number")
@click.option("--set", "specs", type=PAYOR_SHARE, multiple=True,
              help="A payor and its share, repeated for each payor; replaces the whole list (shares add to 100).")
@click.option("--clear", is_flag=True, help="End split billing: the matter's client pays everything.")
@firm_command
def matter_payors_cmd(number: str, specs: tuple[PayorSpec, ...], clear: bool, firm: Any, as_json: bool) -> None:
    """Show or set the payors of matter NUMBER (split billing: one invoice per payor at issue)."""
    from lexbill.clients.services_payors import PayorShare, matter_payors, matter_payors_set
    from lexbill.core.percent import percent_text

    if specs and clear:
        raise click.UsageError("give --set or --clear, not both")
    found = find_matter(firm, number)
    if specs or clear:
        wanted = [PayorShare(find_client(firm, spec.code), spec.share_bp, spec.client_matter_id) for spec in specs]
        matter_payors_set(matter=found, actor=cli_user(), payors=wanted)
    rows = matter_payors(found)
    if as_json:
        echo_json({"matter": found.number, "payors": [_payor_json(r) for r in rows]})
        return
    if not rows:
        click.echo(f"{found.number}: not split; {found.client.code} pays everything")
    for r in rows:
        ref = f"  (their matter id {r.client_matter_id})" if r.client_matter_id else ""
        click.echo(f"{found.number}  {r.client.code:<12} {percent_text(r.share_bp):>6} %{ref}")
