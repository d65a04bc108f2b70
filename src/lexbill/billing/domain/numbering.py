"""Invoice and credit-note numbers: a firm's format (`{year}-{seq:05d}`) filled with a year and a sequence.

Pure: the gapless sequence itself lives in NumberSeries and is taken under a row lock by the issue service.
"""

from __future__ import annotations

import string
from datetime import date

ALLOWED_FIELDS = frozenset({"year", "seq"})
MAX_LENGTH = 40  # Invoice.number


def format_fields(number_format: str) -> set[str]:
    """The field names a format uses; raises ValueError on a malformed format."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(number_format))
    except ValueError as exc:
        raise ValueError(f"number format {number_format!r}: {exc}") from exc
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if conversion is not None:
            raise ValueError(f"number format {number_format!r}: conversions like !r are not allowed")
        if field not in ALLOWED_FIELDS:
            raise ValueError(f"number format {number_format!r}: unknown field {{{field}}} (use {{year}} and {{seq}})")
        if spec and "{" in spec:
            raise ValueError(f"number format {number_format!r}: nested fields are not allowed")
        names.add(field)
    return names


def validate_number_format(number_format: str) -> None:
    """A usable format has {seq} (else every number would be the same) and yields a short, non-empty text."""
    if not number_format.strip():
        raise ValueError("a number format cannot be empty")
    if "seq" not in format_fields(number_format):
        raise ValueError(f"number format {number_format!r} needs {{seq}}")
    try:
        sample = number_format.format(year=2026, seq=99999)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise ValueError(f"number format {number_format!r}: {exc}") from exc
    if len(sample) > MAX_LENGTH:
        raise ValueError(f"number format {number_format!r} makes numbers longer than {MAX_LENGTH} characters")


def series_year(number_format: str, issued_on: date) -> int:
    """The series a number is taken from: one per year when the format shows the year, else one (year 0)."""
    return issued_on.year if "year" in format_fields(number_format) else 0


def format_number(number_format: str, *, year: int, seq: int) -> str:
    validate_number_format(number_format)
    if seq < 1:
        raise ValueError("sequence numbers start at 1")
    return number_format.format(year=year, seq=seq)
