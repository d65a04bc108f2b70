"""`lexbill search Q`: find clients, matters, invoices and pre-bills by number or name (the web's search box)."""

from __future__ import annotations

from typing import Any

import click

from .access import cli_actor
from .common import echo_json, firm_option, json_option
from .main import cli


@cli.command("search")
@click.argument("query")
@json_option
@firm_option
def search_cmd(query: str, as_json: bool, firm: Any) -> None:
    """Find clients, matters, invoices and pre-bills whose number or name contains QUERY (any case)."""
    from lexbill.billing.selectors_search import KIND_LABELS, SEARCH_LIMIT, search_records

    found = search_records(actor=cli_actor(), query=query)
    if as_json:
        echo_json({"query": found.query, "limit": SEARCH_LIMIT, "more": found.more,
                   "results": {kind: [{"id": h.id, "number": h.number, "name": h.name, "detail": h.detail}
                                      for h in hits] for kind, hits in found.hits.items()}})
        return
    if not found.count:
        click.echo(f"nothing matches {found.query!r}")
        return
    for kind, hits in found.hits.items():
        if not hits:
            continue
        click.echo(f"{KIND_LABELS[kind]}:")
        for hit in hits:
            detail = f"  ({hit.detail})" if hit.detail else ""
            click.echo(f"  {hit.number:<16} {hit.name}{detail}")
        if found.more[kind]:
            click.echo(f"  … more than {SEARCH_LIMIT}: narrow the search")
