"""Invoice number formats (pure)."""

from datetime import date

import pytest

from lexbill.billing.domain.numbering import format_number, series_year, validate_number_format


def test_default_format_pads_the_sequence():
    assert format_number("{year}-{seq:05d}", year=2026, seq=42) == "2026-00042"


def test_credit_note_format():
    assert format_number("CN{year}-{seq:05d}", year=2026, seq=1) == "CN2026-00001"


def test_format_without_year_uses_one_series():
    assert format_number("INV{seq}", year=0, seq=7) == "INV7"
    assert series_year("INV{seq}", date(2026, 3, 31)) == 0
    assert series_year("{year}/{seq:04d}", date(2026, 3, 31)) == 2026


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("{year}", "needs {seq}"),
        ("{year}-{number}", "unknown field"),
        ("{seq!r}", "conversions"),
        ("{seq:05q}", "Unknown format code"),
        ("{seq", "number format"),
        ("", "cannot be empty"),
        ("X" * 40 + "{seq}", "longer than 40"),
    ],
)
def test_bad_formats_are_refused(fmt, message):
    with pytest.raises(ValueError, match=message):
        validate_number_format(fmt)


def test_sequence_starts_at_one():
    with pytest.raises(ValueError, match="start at 1"):
        format_number("{seq}", year=0, seq=0)
