"""Which UTBMS code sets a matter's work must carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Matter


def required_code_sets(matter: Matter) -> list[str]:
    """The matter's own list, or else its client's (an empty matter list means the client's apply)."""
    return list(matter.utbms_code_sets or matter.client.utbms_code_sets or [])
