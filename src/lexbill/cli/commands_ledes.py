"""`lexbill ledes validate FILE [--json]` (export comes with the writers)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import echo_json, json_option
from .main import cli


@cli.group("ledes")
def ledes_group() -> None:
    """LEDES e-billing files."""


@ledes_group.command("validate")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def validate_command(path: Path, as_json: bool) -> None:
    """Check a LEDES 1998B / 98BI file as a portal would: exit 0 when valid, 1 with every finding otherwise.

    Needs no database and no firm: it reads only FILE.
    """
    from lexbill.ebilling.ledes.validator import has_errors, validate

    findings = validate(path.read_bytes())
    valid = not has_errors(findings)
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
