"""`lexbill tax ...` and `lexbill firm settings`: tax rates and the firm's billing settings."""

from .main import cli  # noqa: F401
