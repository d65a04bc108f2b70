"""`lexbill ledes export|validate`."""

from pathlib import Path
from typing import Any

import click

from .common import firm_option
from .main import cli


# --- ledes export (writers) ----------------------------------------------------------------------------------
@cli.group()
def ledes() -> None:
    """LEDES e-billing files: export an issued invoice, validate a file."""


@ledes.command("export")
@click.argument("number")
@click.option("--format", "fmt", type=click.Choice(["1998B", "1998BI"], case_sensitive=False), default="1998B",
              show_default=True, help="LEDES 1998B, or 98BI V2 (tax, currency, addresses).")
@click.option("--profile", "profile_name", metavar="NAME", default=None,
              help="Client dialect: standard, legacy, ecounsel, brightflag, collaborati, strict.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="File to write.")
@firm_option
def ledes_export(number: str, fmt: str, profile_name: str | None, output: Path, firm: Any) -> None:
    """Write an issued invoice as a LEDES file."""
    from lexbill.billing.selectors_invoice import invoice_by_number
    from lexbill.ebilling.ledes.document import invoice_document
    from lexbill.ebilling.ledes.profiles import profile_get
    from lexbill.ebilling.ledes.writer import WRITERS

    profile = profile_get(profile_name)
    data = WRITERS[fmt.upper()](invoice_document(invoice_by_number(number)), profile)
    output.write_bytes(data)
    lines = data.count(b"[]") - 2
    click.echo(f"wrote {output} ({fmt.upper()}, profile {profile.name}, {lines} lines, {len(data)} bytes)")
