"""Exact decimal quantities stored as integers.

SQLite keeps DecimalField values as REAL and sums them as floats; PostgreSQL NUMERIC is exact but the
two must agree to the cent. So hours and quantities are stored as integer thousandths (BIGINT) and
presented to Python as Decimal. Sums in SQL stay integer and come back through `from_db_value`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable

from .hours import MILLI, hours_to_milli, milli_to_hours


class ThousandthsField(models.BigIntegerField):
    """A Decimal with up to three decimals, stored as an integer number of thousandths."""

    description = "Decimal with up to 3 places, stored as integer thousandths"
    # For django-stubs: the Python-side type is Decimal, not int.
    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return milli_to_hours(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return milli_to_hours(hours_to_milli(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def get_prep_value(self, value: Any) -> int | None:
        if value is None or value == "":
            return None
        if hasattr(value, "resolve_expression"):
            return value
        try:
            return hours_to_milli(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, **kwargs: Any) -> forms.Field:
        defaults: dict[str, Any] = {"form_class": forms.DecimalField, "decimal_places": 3, "max_digits": 12}
        defaults.update(kwargs)
        # Skip BigIntegerField's integer form field.
        return models.Field.formfield(self, **defaults)  # type: ignore[return-value]


class HoursField(ThousandthsField):
    description = "Hours, stored as integer thousandths of an hour"


__all__ = ["MILLI", "HoursField", "ThousandthsField"]
