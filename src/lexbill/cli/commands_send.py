"""`lexbill invoice send`: email issued invoices."""

from .commands_billing import invoice  # noqa: F401
