"""`lexbill ledes export NUMBER ...` and `lexbill ledes validate FILE`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from lexbill.ebilling.ledes.formats import FORMATS

from .access import cli_actor
from .common import echo_json, find_invoice, firm_command, json_option
from .main import cli


@cli.group("ledes")
def ledes_group() -> None:
    """LEDES e-billing files: export an issued invoice, validate a file."""


@ledes_group.command("export")
@click.argument("number")
@click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False), default="1998B",
              show_default=True, help="LEDES 1998B, 98BI V2 (tax, currency, addresses) or XML 2.1 (UTF-8, by matter).")
@click.option("--profile", "profile_name", metavar="NAME", default=None,
              help="Client dialect: standard, legacy, ecounsel, brightflag, collaborati, strict.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="File to write.")
@firm_command
def ledes_export(number: str, fmt: str, profile_name: str | None, output: Path, firm: Any, as_json: bool) -> None:
    """Write an issued invoice as a LEDES file."""
    import hashlib

    from lexbill.ebilling.ledes.document import invoice_document
    from lexbill.ebilling.ledes.profiles import profile_get
    from lexbill.ebilling.ledes.writer import WRITERS

    profile = profile_get(profile_name)
    fmt = fmt.upper()
    found = find_invoice(firm, number, cli_actor())
    data = WRITERS[fmt](invoice_document(found), profile)
    output.write_bytes(data)
    # The line items written: records after the two header lines, or the XML's line elements.
    lines = (data.count(b"[]") - 2 if fmt != "XML2.1"
             else sum(data.count(tag) for tag in (b"<fee>", b"<expense>", b"<matter_disc_cred>")))
    if as_json:
        echo_json({"invoice": found.number, "file": str(output), "format": fmt, "profile": profile.name,
                   "lines": lines, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    else:
        click.echo(f"wrote {output} ({fmt}, profile {profile.name}, {lines} lines, {len(data)} bytes)")


@ledes_group.command("validate")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def validate_command(path: Path, as_json: bool) -> None:
    """Check a LEDES 1998B / 98BI / XML 2.1 file as a portal would: exit 0 when valid, 1 with every finding
    otherwise. A file whose first character is `<` is read as XML 2.1 (its findings give the XML line and the
    element's file_item_nbr). A file that is not LEDES at all (a CSV, a PDF, a bank statement) is refused in
    one line saying why.

    Needs no database and no firm: it reads only FILE.
    """
    from lexbill.ebilling.ledes.validator import NOT_LEDES, has_errors, validate

    findings = validate(path.read_bytes())
    valid = not has_errors(findings)
    if not as_json and [f.code for f in findings] == [NOT_LEDES]:
        # One line, not a finding per field of every line the file does not have.
        click.echo(f"lexbill: error: {path.name} is {findings[0].message}", err=True)
        sys.exit(1)
    if as_json:
        echo_json({
            "file": str(path), "valid": valid,
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "findings": [f.as_dict() for f in findings],
        })
    else:
        for finding in findings:
            click.echo(str(finding))
        if valid:
            click.echo(f"{path.name}: valid" + (f" ({len(findings)} warnings)" if findings else ""))
    if not valid:
        sys.exit(1)
