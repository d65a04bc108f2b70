"""Tax rates as people type them ("20", "8.875") and as the database keeps them (parts per million).

Pure. One ppm is 0.0001 %, so a percentage with more than four decimals cannot be kept exactly and is refused
rather than rounded: a rate on an invoice must be the rate the firm typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PPM_PER_PERCENT = 10_000
MAX_PPM = 1_000_000  # 100 %


def percent_to_ppm(percent: str | Decimal | int) -> int:
    """ "8.875" -> 88750; ValueError for anything that is not a percentage from 0 to 100 with <= 4 decimals."""
    text = str(percent).strip().removesuffix("%").strip()
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a percentage: {percent!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a percentage: {percent!r}")
    scaled = value * PPM_PER_PERCENT
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{text} % has more than 4 decimals")
    ppm = int(scaled)
    if not 0 <= ppm <= MAX_PPM:
        raise ValueError(f"a tax rate is between 0 and 100 %, not {text} %")
    return ppm


def ppm_to_percent(ppm: int) -> Decimal:
    """88750 -> Decimal("8.875"); 200000 -> Decimal("20") (no trailing zeros, no exponent)."""
    # An exact decimal division keeps no trailing zeros and no exponent (normalize() would give 1E-4).
    return Decimal(ppm) / PPM_PER_PERCENT
