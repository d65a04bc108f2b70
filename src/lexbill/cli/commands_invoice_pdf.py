"""Billing commands (see commands_billing for the groups)."""

from .commands_billing import invoice, prebill  # noqa: F401
from .main import cli  # noqa: F401
