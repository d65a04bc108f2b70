"""`lexbill import` and `lexbill export`: CSV and XLSX exchange of records, time and expenses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lexbill.exchange.columns import KIND_NAMES

from .common import echo_json, firm_command
from .main import cli

if TYPE_CHECKING:
    from lexbill.core.models import Firm


@cli.command("import")
@click.argument("kind", type=click.Choice(KIND_NAMES))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and count what would change; write nothing.")
@firm_command
def import_cmd(kind: str, file: Path, dry_run: bool, firm: Firm, as_json: bool) -> None:
    """Import a CSV or XLSX file of KIND: every row is checked, then all are written or none.

    Columns: see docs/csv-formats.md. Exit 1 lists every bad row with its spreadsheet row number.
    """
    from lexbill.exchange.importers import import_file
    from lexbill.exchange.progress import progress_bar

    result = import_file(firm=firm, kind=kind, path=file, dry_run=dry_run, progress=progress_bar)
    if as_json:
        echo_json(result.as_json())
    if not result.ok:
        click.echo(f"lexbill: error: {result.summary()}", err=True)
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if not as_json:
        click.echo(result.summary())


@cli.command("export")
@click.argument("kind", type=click.Choice(KIND_NAMES))
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              help="File to write ('-' writes CSV to standard output).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]),
              help="File format (default: from the file name, else csv).")
@firm_command
def export_cmd(kind: str, output: str, fmt: str | None, firm: Firm, as_json: bool) -> None:
    """Export KIND with the same columns the import reads, so the file re-imports unchanged."""
    from lexbill.exchange.exporters import export_file
    from lexbill.exchange.progress import progress_bar
    from lexbill.exchange.readers import file_format

    to_stdout = output == "-"
    path = None if to_stdout else Path(output)
    fmt = fmt or ("csv" if path is None else file_format(path))
    if to_stdout and fmt == "xlsx":
        raise click.UsageError("XLSX cannot be written to standard output; give -o FILE.xlsx")
    count = export_file(firm=firm, kind=kind, path=path, fmt=fmt, progress=progress_bar,
                        stream=sys.stdout if to_stdout else None)
    if to_stdout:
        return
    if as_json:
        echo_json({"kind": kind, "rows": count, "format": fmt, "file": str(path)})
    else:
        click.echo(f"exported {count} {kind} row{'' if count == 1 else 's'} to {path} ({fmt})")
