"""Helpers the resource routers share: pagination, id lookups, conversions of inputs."""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination

from lexbill.core.errors import NotFound, ValidationFailed
from lexbill.core.hours import hours_to_milli
from lexbill.core.money import parse_amount

from .schemas import MAX_ID

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# Bounded, so an absurd id is refused by the schema instead of overflowing the database integer.
ObjectId = Annotated[int, Path(..., ge=1, le=MAX_ID)]



class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with a bounded offset (an unbounded one overflows SQL OFFSET)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000_000)


def get_or_404(queryset: QuerySet[M], pk: int, what: str) -> M:
    """A row of the active firm by id; another firm's row is as missing as one that never existed."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no {what} with id {pk}")
    return found


def related(lookup: Callable[[str], T], key: str, field: str) -> T:
    """A related record named in the body by its business key; unknown keys are a bad field (422)."""
    try:
        return lookup(key)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field=field) from exc


def minor(amount: str | None, currency: str, field: str, *, signed: bool = False) -> int | None:
    """An amount of the body in minor units, read by the parser every face uses (422 naming the field)."""
    if amount is None:
        return None
    return parse_amount(amount, currency, signed=signed, field=field)


def increment_milli(hours: str | None, field: str = "billing_increment") -> int | None:
    if hours is None:
        return None
    milli = hours_to_milli(hours)
    if milli <= 0:
        raise ValidationFailed("the billing increment must be more than zero", field=field)
    return milli


def decimal(value: str) -> Decimal:
    return Decimal(value)


def patch_changes(
    payload: Schema, *, nullable: Collection[str] = (), blankable: Collection[str] = ()
) -> dict[str, Any]:
    """The fields a PATCH body sets. null clears a nullable field, empties a text field, else is refused."""
    changes = payload.dict(exclude_unset=True)
    for key, value in list(changes.items()):
        if value is not None or key in nullable:
            continue
        if key in blankable:
            changes[key] = ""
        else:
            raise ValidationFailed(f"{key} cannot be null", field=key)
    return changes
