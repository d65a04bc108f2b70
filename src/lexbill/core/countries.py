"""ISO 3166-1 alpha-2 country codes: is a code a real country?

pycountry carries the ISO list, so "ZZ" or "UK" (the United Kingdom is GB) are refused by name instead of
reaching a LEDES file or a letterhead.
"""

from __future__ import annotations

import pycountry

from .errors import ValidationFailed


def is_known_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def check_country(code: str, *, field: str = "country") -> None:
    """Refuse a non-empty code that is not an ISO 3166 alpha-2 country (empty means unknown, and is allowed)."""
    if code and not is_known_country(code):
        raise ValidationFailed(f"unknown country code {code!r}: use ISO 3166 alpha-2, e.g. US, GB, DE", field=field)


def alpha3(code: str) -> str | None:
    """The ISO 3166 alpha-3 code of an alpha-2 code (GB -> GBR), or None when it is not a country."""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return country.alpha_3 if country is not None else None
