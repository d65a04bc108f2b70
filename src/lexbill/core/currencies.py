"""ISO 4217 currencies: is a code a real currency, and how many decimals does its minor unit have?

The list and the minor-unit exponents come from the `iso4217` package, which is built from the ISO 4217
maintenance agency's own list (see docs/adr/0009-money-currencies.md). CLDR (babel) was not chosen: its
"digits" are what people write in daily use and differ from ISO for some currencies (IQD: CLDR 0, ISO 3),
while an invoice, a LEDES file and a bank transfer must carry the ISO minor unit.

Codes the ISO list gives no minor unit (gold XAU, special drawing rights XDR, the test code XTS, "no
currency" XXX) are refused: nothing can be billed in them. Withdrawn codes (HRK) are not on the list.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import iso4217
from django.core.exceptions import ValidationError
from django.db import models

from .errors import ValidationFailed

CURRENCY_HELP = "an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY"


class UnknownCurrency(ValidationFailed):
    code = "unknown_currency"


@cache
def _exponents() -> dict[str, int]:
    return {c.code: c.exponent for c in iso4217.Currency if c.exponent is not None}


def is_known_currency(code: object) -> bool:
    return isinstance(code, str) and code in _exponents()


def unknown_currency_message(code: object) -> str:
    return f"unknown currency {code!r}: use {CURRENCY_HELP}"


def check_currency(code: object, *, field: str = "currency") -> str:
    """The code itself when it is an ISO 4217 currency with a minor unit; otherwise UnknownCurrency.

    Codes are upper case, as ISO writes them: a face may upper-case what a person typed before calling
    this, but the check itself does not guess.
    """
    if not is_known_currency(code):
        raise UnknownCurrency(unknown_currency_message(code), field=field)
    assert isinstance(code, str)
    return code


def currency_exponent(code: str) -> int:
    """Decimals of the currency's minor unit per ISO 4217: USD 2, JPY 0, VND 0, IQD 3, CLF 4."""
    try:
        return _exponents()[code]
    except (KeyError, TypeError):
        raise UnknownCurrency(unknown_currency_message(code)) from None


def currency_codes() -> list[str]:
    return sorted(_exponents())


def validate_currency_code(value: str) -> None:
    """Model field validator: Django's ValidationError, so full_clean() names the field."""
    if not is_known_currency(value):
        raise ValidationError(unknown_currency_message(value), code="unknown_currency")


class CurrencyField(models.CharField):
    """A currency column: three letters, checked against ISO 4217 on full_clean().

    It deconstructs as a plain CharField with the validator, so the database column is the same and the
    migration adding it touches no table (on SQLite a field class change would rebuild the table and drop
    the triggers that freeze issued invoices).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        validators = list(kwargs.get("validators") or [])
        if validate_currency_code not in validators:
            validators.append(validate_currency_code)
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
