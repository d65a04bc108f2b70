"""Command groups for billing. Subcommands live in commands_billrun, commands_prebill, commands_invoice."""

from .main import cli


@cli.group()
def prebill() -> None:
    """Pre-bills (pro forma): list, show, approve, reject."""


@cli.group()
def invoice() -> None:
    """Invoices and credit notes: issue, list, show, pdf, send, credit."""
