"""`lexbill demo`: a realistic, reproducible firm."""

from .main import cli  # noqa: F401
