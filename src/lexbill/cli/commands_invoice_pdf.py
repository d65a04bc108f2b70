"""`lexbill invoice pdf NUMBER -o FILE` and `lexbill prebill pdf ID -o FILE` (the DRAFT pro forma)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import click

from .access import cli_actor
from .commands_billing import invoice, prebill
from .common import echo_json, find_invoice, find_prebill, firm_command

_output = click.option("-o", "--output", "output", required=True, metavar="FILE",
                       type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Where to write the PDF.")


def _report(kind: str, ident: str, output: Path, pdf: bytes, as_json: bool) -> None:
    digest = hashlib.sha256(pdf).hexdigest()
    if as_json:
        echo_json({kind: ident, "file": str(output), "bytes": len(pdf), "sha256": digest})
    else:
        click.echo(f"wrote {output} ({len(pdf):,} bytes, sha256 {digest})")


@invoice.command("pdf")
@click.argument("number")
@_output
@firm_command
def invoice_pdf(number: str, output: Path, firm: Any, as_json: bool) -> None:
    """Write an issued invoice's PDF (its hash is recorded the first time and checked after)."""
    from lexbill.billing.services.invoice_pdf import invoice_pdf_render

    found = find_invoice(firm, number, cli_actor())
    pdf = invoice_pdf_render(invoice=found)
    output.write_bytes(pdf)
    _report("invoice", found.number, output, pdf, as_json)


@prebill.command("pdf")
@click.argument("prebill_id", metavar="ID", type=int)
@_output
@firm_command
def prebill_pdf(prebill_id: int, output: Path, firm: Any, as_json: bool) -> None:
    """Write a pre-bill's pro forma PDF, watermarked DRAFT."""
    from lexbill.billing.pdf.render import render_prebill
    from lexbill.billing.selectors_prebill import pro_forma_allowed

    pdf = render_prebill(pro_forma_allowed(find_prebill(firm, prebill_id, cli_actor())))
    output.write_bytes(pdf)
    _report("prebill", str(prebill_id), output, pdf, as_json)
