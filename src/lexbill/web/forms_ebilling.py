"""Forms of the e-billing pages: submit an invoice to a portal, record a portal's answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from lexbill.ebilling.ledes.formats import FORMATS, LABELS
from lexbill.ebilling.ledes.profiles import PROFILES
from lexbill.ebilling.models import SubmissionStatus
from lexbill.ebilling.services import ANSWERS, LineAnswer

from .forms_common import MoneyField, money_to_minor
from .service_forms import ServiceErrorsMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMAT_CHOICES = [("", "The client's (else 1998B)")] + [(name, LABELS[name]) for name in FORMATS]
PROFILE_CHOICES = [("", "The client's (else standard)")] + [(name, name) for name in PROFILES]


class SubmitForm(ServiceErrorsMixin, forms.Form):
    portal = forms.CharField(max_length=60, required=False, help_text="Empty: the client's portal.")
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)
    profile = forms.ChoiceField(choices=PROFILE_CHOICES, required=False)

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"portal": data["portal"] or None, "ledes_format": data["format"] or None,
                "profile": data["profile"] or None}


class AnswerForm(ServiceErrorsMixin, forms.Form):
    aliases = {"line": "line_number", "amount": "amount", "reason": "reason", "status": "status"}
    status = forms.ChoiceField(choices=[(s, SubmissionStatus(s).label) for s in ANSWERS], label="Answer")
    line_number = forms.IntegerField(min_value=1, required=False, label="Line",
                                     help_text="LINE_ITEM_NUMBER in the file (file_item_nbr in XML), for a line "
                                               "rejection or reduction.")
    reason_code = forms.CharField(max_length=30, required=False, label="Reason code")
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amount = MoneyField(required=False, label="Reduced by", help_text="For a reduction, e.g. 50.00")
    on = forms.DateField(label="Date of the answer", widget=_DATE)

    def __init__(self, *args: Any, currency: str, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": today})
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == SubmissionStatus.REDUCED:
            if data.get("line_number") is None and "line_number" not in self.errors:
                self.add_error("line_number", "A reduction is recorded on a line.")
            if data.get("amount") in (None, "") and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount the portal cut from the line.")
        elif data.get("amount") not in (None, ""):
            self.add_error("amount", "Only a reduction has an amount.")
        if "amount" not in self.errors and data.get("amount") not in (None, ""):
            data["amount_minor"] = money_to_minor(self, "amount", self.currency)
        return data

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        lines = []
        reason = data["reason"]
        if data.get("line_number") is not None:
            lines = [LineAnswer(data["line_number"], reason=reason, reason_code=data["reason_code"],
                                reduced_by_minor=data.get("amount_minor") or 0)]
            reason = ""
        return {"status": data["status"], "reason": reason, "lines": lines, "on": data["on"]}
