"""`lexbill matter payors NUMBER`: split billing — who pays which share of a matter's bills."""

from __future__ import annotations

from typing import Any

import click

from .access import cli_user
from .commands_fees import matter
from .common import echo_json, firm_option, json_option


def _payor_json(row: Any) -> dict[str, Any]:
    return {"client": row.client.code, "share_bp": row.share_bp, "client_matter_id": row.client_matter_id}


def _parse(spec: str) -> tuple[str, str, str]:
    """CODE=PERCENT[:CLIENT_MATTER_ID], e.g. INSURER=60:CLM-2291."""
    code, sep, rest = spec.partition("=")
    if not sep or not code.strip() or not rest.strip():
        raise click.BadParameter(f"'{spec}': write CODE=PERCENT or CODE=PERCENT:CLIENT_MATTER_ID",
                                 param_hint="--set")
    share, _, client_matter_id = rest.partition(":")
    return code.strip(), share, client_matter_id


@matter.command("payors")
@click.argument("number")
@click.option("--set", "specs", multiple=True, metavar="CODE=PERCENT[:ID]",
              help="A payor and its share, repeated for each payor; replaces the whole list (shares add to 100).")
@click.option("--clear", is_flag=True, help="End split billing: the matter's client pays everything.")
@firm_option
@json_option
def matter_payors_cmd(number: str, specs: tuple[str, ...], clear: bool, firm: Any, as_json: bool) -> None:
    """Show or set the payors of matter NUMBER (split billing: one invoice per payor at issue)."""
    from lexbill.clients.selectors import client_by_code, matter_by_number
    from lexbill.clients.services_payors import PayorShare, matter_payors, matter_payors_set, parse_share
    from lexbill.core.percent import percent_text

    if specs and clear:
        raise click.UsageError("give --set or --clear, not both")
    found = matter_by_number(number)
    if specs or clear:
        wanted = []
        for spec in specs:
            code, share, client_matter_id = _parse(spec)
            wanted.append(PayorShare(client_by_code(code), parse_share(share), client_matter_id))
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
