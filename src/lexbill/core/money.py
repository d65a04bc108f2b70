"""Money as integer minor units plus an ISO 4217 currency. No float anywhere.

- `Money` is the value type: it validates its currency and refuses to compare or add across currencies.
- `parse_amount` is the one way an amount typed by a person or sent by a program becomes minor units:
  web forms, API bodies, CLI options and import files all call it, so they accept and refuse the same
  text (docs/money.md lists the rules).
- Rounding happens once, explicitly, half-up, in `round_half_up`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .currencies import check_currency, currency_exponent
from .errors import ValidationFailed

__all__ = [
    "MAX_AMOUNT_MINOR",
    "AmountInvalid",
    "CurrencyMismatch",
    "Money",
    "amount_text",
    "currency_exponent",
    "format_money",
    "from_minor",
    "line_amount_minor",
    "parse_amount",
    "round_half_up",
    "to_minor",
]

# Far above any real amount (10^15 minor units is ten trillion dollars), far below a BIGINT (9.2 x 10^18),
# so sums of many amounts still fit the column.
MAX_AMOUNT_MINOR = 10**15 - 1

# Plain digits, an optional point with decimals, an optional leading minus. ASCII digits only: Python's
# \d and Decimal() also read other scripts' digits ("١٢"). No exponent, no thousands separator, no "+".
_AMOUNT = re.compile(r"(?P<minus>-)?(?P<whole>[0-9]+)(?:\.(?P<decimals>[0-9]+))?", re.ASCII)


class AmountInvalid(ValidationFailed):
    code = "invalid_amount"


class CurrencyMismatch(TypeError, ValueError):
    """Two amounts in different currencies were compared or combined. A programming error, never input:
    it is both a TypeError (like 1 < "a") and a ValueError (what the first Money raised)."""


def round_half_up(value: Decimal) -> int:
    """Round a Decimal amount of minor units to a whole number of minor units, half away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _shape_hint(currency: str, exponent: int) -> str:
    example = "1234" if exponent == 0 else "1234." + "5" + "0" * (exponent - 1)
    if exponent == 0:
        return f"write {currency} amounts like {example}: digits only, no decimals, no separators"
    return f"write {currency} amounts like {example}: digits and a point, no separators"


def _decimals_rule(currency: str, exponent: int) -> str:
    return f"{currency} amounts have no decimals." if exponent == 0 else \
        f"{currency} amounts have at most {exponent} decimals."


def parse_amount(text: object, currency: str, *, signed: bool = False, field: str = "amount") -> int:
    """Minor units of an amount written in major units ("1234.50" USD -> 123450). Strict, so that no face
    guesses: "1,50" (a decimal comma or a thousands separator?), "1e3", "NaN", "1.505" for USD, "--1" and
    numbers that are not text (a JSON float has already lost exactness) are refused with AmountInvalid.
    A minus sign is accepted only where the amount may be negative (`signed`, e.g. an adjustment).
    """
    exponent = currency_exponent(check_currency(currency))
    if not isinstance(text, str):
        raise AmountInvalid(f"an amount is text like 1234.50, not {type(text).__name__}", field=field)
    stripped = text.strip()
    if not stripped:
        raise AmountInvalid("an amount is required", field=field)
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        raise AmountInvalid(f"not an amount: {text!r} ({_shape_hint(currency, exponent)})", field=field)
    if match["minus"] and not signed:
        raise AmountInvalid(f"{text.strip()} is negative: the amount must be zero or more", field=field)
    decimals = match["decimals"]
    if decimals is not None and len(decimals) > exponent:
        raise AmountInvalid(_decimals_rule(currency, exponent), field=field)
    minor = int(match["whole"] + (decimals or "").ljust(exponent, "0"))
    if minor > MAX_AMOUNT_MINOR:
        raise AmountInvalid(f"{stripped} is too large", field=field)
    return -minor if match["minus"] else minor


def to_minor(amount: Decimal | int, currency: str) -> int:
    """An exact number (already a Decimal, e.g. read from a LEDES file) in minor units; refuse sub-minor
    precision. Text goes through `parse_amount` instead, and a float is refused (it is never exact)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"to_minor takes a Decimal or an int, not {type(amount).__name__}: parse text "
                        "with parse_amount")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    scaled = value.scaleb(currency_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    exp = currency_exponent(currency)
    return Decimal(minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))


def amount_text(minor: int, currency: str) -> str:
    """The canonical text of an amount ("1234.50", "-3", "0.125"): what `parse_amount` reads back."""
    return f"{from_minor(minor, currency):f}"


def format_money(minor: int, currency: str) -> str:
    """'1,234.50 USD' style, exact: for people to read (parse_amount refuses the grouping commas)."""
    return f"{from_minor(minor, currency):,} {currency}"


def line_amount_minor(hours: Decimal, rate_minor: int) -> int:
    """One line's amount: hours x hourly rate, rounded once, half-up, to minor units."""
    return round_half_up(hours * rate_minor)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. Equal only to the same amount of the same currency; ordering and
    arithmetic with another currency raise CurrencyMismatch (there is no exchange rate in here)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money.minor must be an int of minor units")
        check_currency(self.currency)

    @classmethod
    def parse(cls, text: object, currency: str, *, signed: bool = False, field: str = "amount") -> Money:
        return cls(parse_amount(text, currency, signed=signed, field=field), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot {op} {self.currency} and {other.currency}")
        return other

    def __lt__(self, other: object) -> bool:
        return self.minor < self._same(other, "compare").minor

    def __le__(self, other: object) -> bool:
        return self.minor <= self._same(other, "compare").minor

    def __gt__(self, other: object) -> bool:
        return self.minor > self._same(other, "compare").minor

    def __ge__(self, other: object) -> bool:
        return self.minor >= self._same(other, "compare").minor

    def __add__(self, other: object) -> Money:
        return Money(self.minor + self._same(other, "add").minor, self.currency)

    def __sub__(self, other: object) -> Money:
        return Money(self.minor - self._same(other, "subtract").minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    @property
    def text(self) -> str:
        """Canonical text, read back exactly by Money.parse (with signed=True when negative)."""
        return amount_text(self.minor, self.currency)

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)
