"""`lexbill import` and `lexbill export`: CSV and XLSX exchange of records, time and expenses."""

from .main import cli  # noqa: F401
