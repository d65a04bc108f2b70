"""Form fields for exact quantities: money in major units, hours, percentages.

People type "350.00", "0.1" or "33.33"; the database keeps integers (minor units, thousandths of an
hour, basis points). The fields parse with Decimal only, never float. Money needs the currency to know
its minor unit, which may depend on another field of the form (a matter's client), so `MoneyField`
keeps the text as typed and the form converts it with `money_to_minor` once the currency is known,
through `core.money.parse_amount`, the parser the API, the CLI and imports use too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from lexbill.core.errors import LexbillError
from lexbill.core.hours import MILLI, hours_to_milli, milli_to_hours
from lexbill.core.money import amount_text, parse_amount
from lexbill.core.percent import percent_text

MAX_MONEY_DIGITS = 15  # a BIGINT holds 18 digits; leave room for three decimals of minor units


class MoneyField(forms.CharField):
    """An amount in major units ("350.00") as typed; `money_to_minor` reads it strictly once the currency is
    known. `signed` lets a minus through (an adjustment); otherwise the amount is zero or more."""

    def __init__(self, *, signed: bool = False, **kwargs: Any) -> None:
        self.signed = signed
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:  # type: ignore[override]
        text = super().to_python(value)
        return text or None


def money_to_minor(form: forms.Form, name: str, currency: str) -> int | None:
    """The amount typed in `name` in minor units of `currency`; a field error (and None) if it cannot be."""
    value = form.cleaned_data.get(name)
    if value is None:
        return None
    field = form.fields[name]
    try:
        return parse_amount(value, currency, signed=getattr(field, "signed", False), field=name)
    except LexbillError as exc:
        form.add_error(name, exc.message)
        return None


def money_initial(minor: int | None, currency: str) -> str:
    return "" if minor is None else amount_text(minor, currency)


class _ScaledIntegerField(forms.DecimalField):
    """A decimal typed by people, cleaned to an integer count of 1/scale units."""

    scale = 1

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # Initial data comes from the model as an integer; bound data is the user's own text, kept as typed.
        if isinstance(value, int) and not isinstance(value, bool):
            return self.from_units(value)
        return value

    def from_units(self, units: int) -> str:
        return str((Decimal(units) / self.scale).normalize())

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        decimal_value = super().clean(value)
        if decimal_value is None:
            return None
        return int(decimal_value * self.scale)


class IncrementField(_ScaledIntegerField):
    """A billing increment in hours ("0.1"), cleaned to thousandths of an hour (100)."""

    scale = MILLI

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0.001"))
        kwargs.setdefault("max_value", Decimal(24))
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("help_text", "Hours, e.g. 0.1 for six minutes.")
        super().__init__(**kwargs)

    def from_units(self, units: int) -> str:
        return str(milli_to_hours(units))

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        decimal_value = forms.DecimalField.clean(self, value)
        return None if decimal_value is None else hours_to_milli(decimal_value)


class PercentField(_ScaledIntegerField):
    """A percentage ("33.33"), cleaned to basis points (3333)."""

    scale = 100

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def from_units(self, units: int) -> str:
        return percent_text(units)
