"""Forms of a matter's fee schedule and recoveries: amounts in major units of the matter's currency."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from lexbill.billing.models import FeeItem
from lexbill.core.money import from_minor

from .forms_common import MoneyField, money_to_minor
from .service_forms import ServiceErrorsMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCHEDULED, MILESTONE = "scheduled", "milestone"


class FeeItemForm(ServiceErrorsMixin, forms.Form):
    aliases = {"amount_minor": "amount", "due_on": "due_on"}
    description = forms.CharField(max_length=200)
    amount = MoneyField(help_text="In the matter's currency, e.g. 12500.00")
    kind = forms.ChoiceField(choices=[(SCHEDULED, "Scheduled: billable from a date"),
                                      (MILESTONE, "Milestone: billable once marked reached")],
                             widget=forms.RadioSelect, initial=SCHEDULED, label="Billed")
    due_on = forms.DateField(required=False, widget=_DATE, label="Billable from")
    task_code = forms.CharField(required=False, max_length=10, label="Phase (UTBMS task code)",
                                help_text="Flat-fee matters only, e.g. L200: time coded to it is covered.")

    def __init__(self, *args: Any, currency: str, instance: FeeItem | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"description": instance.description,
                                 "amount": from_minor(instance.amount_minor, currency),
                                 "kind": MILESTONE if instance.due_on is None else SCHEDULED,
                                 "due_on": instance.due_on, "task_code": instance.task_code}
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SCHEDULED and data.get("due_on") is None and "due_on" not in self.errors:
            self.add_error("due_on", "Enter the date it is billable from, or choose a milestone.")
        if "amount" not in self.errors and data.get("amount") is not None:
            data["amount_minor"] = money_to_minor(self, "amount", self.currency)
        return data

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"description": data["description"], "amount_minor": data["amount_minor"],
                "due_on": data["due_on"] if data["kind"] == SCHEDULED else None, "task_code": data["task_code"]}


class RecoveryForm(ServiceErrorsMixin, forms.Form):
    aliases = {"amount_minor": "amount"}
    amount = MoneyField(help_text="Recovered for the client, in the matter's currency")
    received_on = forms.DateField(widget=_DATE, label="Received on")
    description = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, currency: str, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": today})
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "amount" not in self.errors and data.get("amount") is not None:
            data["amount_minor"] = money_to_minor(self, "amount", self.currency)
        return data

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"amount_minor": data["amount_minor"], "received_on": data["received_on"],
                "description": data["description"]}
