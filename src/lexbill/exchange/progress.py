"""A tqdm progress bar on stderr, shown when someone watches (a TTY) or the job is long."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

X = TypeVar("X")
LONG_JOB_ROWS = 1000


def progress_bar(items: Iterable[X], total: int, label: str) -> Iterable[X]:
    from tqdm import tqdm

    show = sys.stderr.isatty() or total > LONG_JOB_ROWS
    if not show:
        return items
    return tqdm(items, total=total, desc=label, unit="row", file=sys.stderr, leave=False, mininterval=0.5)
