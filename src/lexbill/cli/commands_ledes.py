"""`lexbill ledes export|validate`."""

from .main import cli  # noqa: F401
