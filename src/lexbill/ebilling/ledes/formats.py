"""The LEDES formats lexbill writes, their file extensions and media types.

Django-free, so the CLI can build its `--format` choices before Django is set up; writer.WRITERS holds one
writer for each name here (a test keeps the two equal).
"""

from __future__ import annotations

# name -> (file extension, HTTP media type)
MEDIA: dict[str, tuple[str, str]] = {
    "1998B": ("txt", "text/plain; charset=us-ascii"),
    "1998BI": ("txt", "text/plain; charset=us-ascii"),
    "XML2.1": ("xml", "application/xml"),
}
FORMATS: tuple[str, ...] = tuple(MEDIA)
LABELS = {"1998B": "LEDES 1998B", "1998BI": "LEDES 98BI V2", "XML2.1": "LEDES XML 2.1"}


def media_type(fmt: str) -> str:
    return MEDIA[fmt][1]
