"""Forms of the bill-run launcher, the invoice list filters and the credit-note form.

They parse what people type into the services' keyword arguments and run inside the active firm's
scope, so a client code, matter number or timekeeper of another firm is simply "not found".
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import Q

from lexbill.billing.models import InvoiceKind
from lexbill.clients.models import Client, Matter
from lexbill.staff.models import Timekeeper

from .forms_common import MoneyField, money_to_minor
from .service_forms import ServiceErrorsMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEPARATORS = re.compile(r"[\s,;]+")



class BillRunForm(ServiceErrorsMixin, forms.Form):
    through_on = forms.DateField(label="Work through", widget=_DATE,
                                 help_text="Cut-off: unbilled work up to and including this date.")
    client = forms.CharField(required=False, max_length=20, label="Client number",
                             help_text="Only this client's matters (empty: every client).")
    matters = forms.CharField(required=False, max_length=2000, label="Matter numbers",
                              help_text="Only these matters, separated by spaces or commas (empty: every matter).")
    billing_attorney = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False,
                                              empty_label="Any billing attorney")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["billing_attorney"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Timekeeper.objects.filter(is_active=True).order_by("initials")

    @staticmethod
    def default_through(today: date) -> date:
        """The end of the month before `today` (month-end billing bills the month just closed)."""
        return today.replace(day=1) - timedelta(days=1)

    def clean_client(self) -> Client | None:
        code = self.cleaned_data["client"].strip()
        if not code:
            return None
        found = Client.objects.filter(code__iexact=code).first()
        if found is None:
            raise forms.ValidationError(f"No client {code}.")
        return found

    def clean_matters(self) -> list[Matter] | None:
        numbers = [n for n in _SEPARATORS.split(self.cleaned_data["matters"].strip()) if n]
        if not numbers:
            return None
        # Matter numbers are matched without regard to case (people type acme-001), in one query.
        wanted = Q()
        for number in numbers:
            wanted |= Q(number__iexact=number)
        found = {m.number.upper(): m for m in Matter.objects.filter(wanted)}
        unknown = [n for n in numbers if n.upper() not in found]
        if unknown:
            raise forms.ValidationError(f"No matter {', '.join(unknown)}.")
        return list({m.pk: m for m in (found[n.upper()] for n in numbers)}.values())

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"through_on": data["through_on"], "client": data["client"], "matters": data["matters"],
                "billing_attorney": data["billing_attorney"]}


class InvoiceFilterForm(forms.Form):
    """GET filters of the invoice list; a bad value is ignored (the list is never an error page)."""

    q = forms.CharField(required=False, max_length=40, label="Number")
    client = forms.CharField(required=False, max_length=20, label="Client number")
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *InvoiceKind.choices])
    date_from = forms.DateField(required=False, label="Issued from", widget=_DATE)
    date_to = forms.DateField(required=False, label="Issued to", widget=_DATE)

    def filters(self) -> dict[str, Any]:
        """The valid filters only: an invalid field is dropped, the others still apply."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors and value not in (None, "")}


FULL, AMOUNT = "full", "amount"


class CreditNoteForm(ServiceErrorsMixin, forms.Form):
    aliases = {"amount": "amount"}
    mode = forms.ChoiceField(choices=[(FULL, "The whole invoice (its work goes back to WIP)"),
                                      (AMOUNT, "An amount before tax")], widget=forms.RadioSelect, initial=AMOUNT,
                             label="Credit")
    amount = MoneyField(required=False, label="Amount", help_text="Before tax, e.g. 100.00")
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = forms.DateField(label="Credit note date", widget=_DATE)

    def __init__(self, *args: Any, currency: str, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"issued_on": today, "mode": AMOUNT})
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == AMOUNT and "amount" not in self.errors:
            if data.get("amount") in (None, ""):
                self.add_error("amount", "Enter the amount to credit, or choose the whole invoice.")
            else:
                data["amount_minor"] = money_to_minor(self, "amount", self.currency)
        return data

    def to_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        full = data["mode"] == FULL
        return {"full": full, "amount_minor": None if full else data["amount_minor"], "reason": data["reason"],
                "issued_on": data["issued_on"]}
