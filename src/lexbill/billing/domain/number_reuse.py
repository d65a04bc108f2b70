"""Would a new number format hand out a number that was already issued?

A series keeps its sequence when the firm changes its format, and a format without {year} draws from another
series (year 0) than one with it. So a change such as "{year}-{seq:05d}" -> "2026-{seq:05d}" would start
again at 2026-00001, which the database refuses at issue time. Pure: the caller passes the numbers issued.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable


def _pattern(number_format: str, year: int) -> re.Pattern[str]:
    parts: list[str] = []
    seq_seen = False
    for literal, field, spec, _conversion in string.Formatter().parse(number_format):
        parts.append(re.escape(literal))
        if field == "year":
            parts.append(re.escape(format(year, spec or "")))
        elif field == "seq":
            # Padding may be any fill character: take the text and let the re-formatting below decide.
            parts.append(".+?" if seq_seen else "(?P<seq>.+?)")
            seq_seen = True
    return re.compile("".join(parts), re.DOTALL)


def numbers_reused(number_format: str, *, year: int, from_seq: int, issued: Iterable[str]) -> list[str]:
    """The issued numbers that the format would produce again for a sequence number >= from_seq.

    The format must already be valid (numbering.validate_number_format)."""
    pattern = _pattern(number_format, year)
    reused = []
    for number in issued:
        match = pattern.fullmatch(number)
        if match is None:
            continue
        digits = re.sub(r"\D", "", match["seq"])
        if not digits:
            continue
        seq = int(digits)
        if seq >= from_seq and number_format.format(year=year, seq=seq) == number:
            reused.append(number)
    return sorted(reused)
