"""What every form backed by a service shares: the service's refusals shown on the field they name, and one
way to run the service on a valid POST (a refusal becomes a form error and nothing is written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django import forms
from django.http import HttpRequest

from lexbill.core.errors import LexbillError

T = TypeVar("T")


class ServiceErrorsMixin:
    """A service's refusal shown on the field it names (through `aliases` when the form calls it otherwise),
    or above the form."""

    aliases: dict[str, str] = {}

    def add_service_error(self, exc: LexbillError) -> None:
        name = self.aliases.get(exc.field or "", exc.field)
        form: forms.Form = self  # type: ignore[assignment]
        form.add_error(name if name in form.fields else None, exc.message)


class ServiceForm(Protocol):
    def is_valid(self) -> bool: ...
    def to_service(self) -> dict[str, Any]: ...
    def add_service_error(self, exc: LexbillError) -> None: ...


def save_form(request: HttpRequest, form: ServiceForm, write: Callable[[dict[str, Any]], T]) -> T | None:
    """Run the service on a valid POSTed form; its refusals become form errors and nothing is written."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.to_service())
    except LexbillError as exc:
        form.add_service_error(exc)
        return None
