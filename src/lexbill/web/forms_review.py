"""Forms of the pre-bill pages: list filters and the review actions.

Write-downs are typed the way a clerk says them: a positive number and a direction ("down 10 %", "up
50.00"); the view turns them into the services' signed adjustments. Amounts are parsed with Decimal only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from lexbill.billing.models import PreBillStatus
from lexbill.clients.models import Client
from lexbill.staff.models import Timekeeper

from .forms_time import TimekeeperChoiceField

OPEN_FOR_REVIEW = [PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW]


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class PreBillFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), *PreBillStatus.choices], required=False)
    client = ClientChoiceField(queryset=Client.objects.none(), required=False, empty_label="All")
    attorney = TimekeeperChoiceField(queryset=Timekeeper.objects.none(), required=False, empty_label="All",
                                     label="Billing attorney")

    def __init__(self, *args: Any, attorneys: QuerySet[Timekeeper] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client = self.fields["client"]
        assert isinstance(client, forms.ModelChoiceField)
        client.queryset = Client.objects.order_by("code")
        attorney = self.fields["attorney"]
        assert isinstance(attorney, forms.ModelChoiceField)
        if attorneys is None:
            del self.fields["attorney"]
        else:
            attorney.queryset = attorneys


class ApprovalFilterForm(forms.Form):
    attorney = TimekeeperChoiceField(queryset=Timekeeper.objects.none(), required=False, empty_label="All",
                                     label="Billing attorney")

    def __init__(self, *args: Any, attorneys: QuerySet[Timekeeper], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attorney = self.fields["attorney"]
        assert isinstance(attorney, forms.ModelChoiceField)
        attorney.queryset = attorneys


class WriteForm(forms.Form):
    """Write a line (or the bill) down or up by hours billed, an amount or a percent."""

    MODES = [("percent", "%"), ("amount", "amount"), ("hours", "hours billed")]
    mode = forms.ChoiceField(choices=MODES)
    direction = forms.ChoiceField(choices=[("down", "down"), ("up", "up")], required=False)
    value = forms.DecimalField(min_value=Decimal(0), max_digits=15, decimal_places=3,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))

    def __init__(self, *args: Any, bill: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bill:
            mode = self.fields["mode"]
            assert isinstance(mode, forms.ChoiceField)
            mode.choices = self.MODES[:2]

    def is_down(self) -> bool:
        return self.cleaned_data.get("direction") != "up"

    def value_text(self) -> str:
        """The value exactly as typed, for the modes that parse it themselves (amounts)."""
        return str(self.data.get(self.add_prefix("value"), ""))


class NarrativeForm(forms.Form):
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class CodesForm(forms.Form):
    task_code = forms.CharField(max_length=10, required=False)
    activity_code = forms.CharField(max_length=10, required=False)
    expense_code = forms.CharField(max_length=10, required=False)


class MoveForm(forms.Form):
    matter = forms.CharField(max_length=40, label="Matter no.")


class QueryForm(forms.Form):
    question = forms.CharField(max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=2000)


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=2000)


class ApproveForm(forms.Form):
    """Approve; with open queries only when the approver ticks the override and says why."""

    override_open_queries = forms.BooleanField(required=False, label="Approve despite open queries")
    override_reason = forms.CharField(max_length=2000, required=False, label="Reason")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override_open_queries") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "Say why you approve despite the open queries.")
        return data

    def reason(self) -> str:
        """The override reason for the service ("" unless the box is ticked)."""
        return self.cleaned_data["override_reason"] if self.cleaned_data["override_open_queries"] else ""


def first_error(form: forms.Form) -> str:
    """One line for a row's error message: the first field error, named."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label or name.replace("_", " ").capitalize()) if field is not None else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "invalid input"
