"""`lexbill ebill submit|status|list`: e-billing submissions."""

from .main import cli  # noqa: F401
