"""`lexbill matter ...`: fee schedule items, milestones and recoveries."""

from .main import cli  # noqa: F401
