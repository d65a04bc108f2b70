"""Forms of the time, timer and expense pages.

Forms only parse and shape input; the services decide (rounding, open matters, billed rows). A service
refusal comes back as a `LexbillError` and is put on the field it names with `add_service_error`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from lexbill.clients.models import Matter, MatterStatus
from lexbill.core.errors import LexbillError
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import ChargeType, CostType, EntryStatus

from .forms_common import MoneyField, money_to_minor

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PickerInput(forms.TextInput):
    """A text input that picker.js turns into a type-ahead over `url_name` (a JSON search)."""

    def __init__(self, url_name: str, *, field: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url_name, self.field = url_name, field

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "data-picker-url": reverse(self.url_name)}
        if self.field:
            attrs["data-picker-field"] = self.field
        return super().get_context(name, value, attrs)


def code_input(field: str, placeholder: str) -> PickerInput:
    return PickerInput("code_picker", field=field, attrs={"size": 8, "placeholder": placeholder})


class MatterPickerField(forms.Field):
    """A matter typed by its number (or picked by picker.js, which types it): no <select> of every matter.

    A matter's primary key is still accepted, for clients that post one (the page's forms used to)."""

    widget = PickerInput("matter_picker", attrs={"placeholder": "number or name", "size": 24})
    default_error_messages = {"invalid_choice": "No open matter %(value)s: type its number or pick it from the list."}

    def __init__(self, *, queryset: QuerySet[Matter], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Matter):
            return value.number
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("number", flat=True).first() or value
        return value

    def to_python(self, value: Any) -> Matter | None:
        if isinstance(value, Matter):
            return value
        text = str(value or "").split(" · ")[0].strip()
        if not text:
            return None
        found = self.queryset.filter(number__iexact=text).first()
        if found is None and text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": text})
        return found


class TimekeeperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.initials} · {obj.full_name}"


def open_matters() -> QuerySet[Matter]:
    # The client is read by Matter.billing_increment(); fetch it with the matter.
    return Matter.objects.filter(status=MatterStatus.OPEN).select_related("client", "firm").order_by("number")


def add_service_error(form: forms.Form, exc: LexbillError, field_map: dict[str, str] | None = None) -> None:
    """Show a service refusal next to the field it concerns (or above the form)."""
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


class TimeFilterForm(forms.Form):
    matter = forms.CharField(required=False, label="Matter no.", widget=PickerInput(
        "matter_picker", attrs={"size": 12, "data-picker-all": "1"}))
    timekeeper = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False, empty_label="All")
    date_from = forms.DateField(required=False, widget=DATE, label="From")
    date_to = forms.DateField(required=False, widget=DATE, label="To")
    status = forms.ChoiceField(choices=[("", "All"), *EntryStatus.choices], required=False)
    charge_type = forms.ChoiceField(choices=[("", "All"), *ChargeType.choices], required=False, label="Charge")
    q = forms.CharField(required=False, label="Narrative")

    def __init__(self, *args: Any, timekeepers: QuerySet[Timekeeper], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timekeeper"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = timekeepers


class DurationMixin(forms.Form):
    """Hours, or minutes, or a from/to span: exactly one, as the services expect."""

    hours = forms.DecimalField(required=False, min_value=Decimal(0), max_value=Decimal(24), max_digits=6,
                               decimal_places=3)
    minutes = forms.IntegerField(required=False, min_value=1, max_value=24 * 60)
    time_from = forms.TimeField(required=False, widget=TIME, label="From")
    time_to = forms.TimeField(required=False, widget=TIME, label="To")

    def duration(self) -> Duration:
        data = self.cleaned_data
        return Duration(hours=data.get("hours"), minutes=data.get("minutes"),
                        start=data.get("time_from"), end=data.get("time_to"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get("hours") is not None, data.get("minutes") is not None,
                 data.get("time_from") is not None or data.get("time_to") is not None]
        if not self.errors and sum(given) != 1:
            self.add_error("hours", "Give the time as hours, as minutes, or as a from/to span (exactly one).")
        elif given[2] and (data.get("time_from") is None or data.get("time_to") is None):
            self.add_error("time_to", "A span needs both a start and an end.")
        return data


class TimeEntryForm(DurationMixin):
    timekeeper = TimekeeperChoiceField(queryset=Timekeeper.objects.none())
    matter = MatterPickerField(queryset=Matter.objects.none())
    worked_on = forms.DateField(widget=DATE, label="Date worked")
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    task_code = forms.CharField(required=False, max_length=10, label="Task code",
                                widget=code_input("task_code", "L120"))
    activity_code = forms.CharField(required=False, max_length=10, label="Activity code",
                                    widget=code_input("activity_code", "A104"))
    no_charge = forms.BooleanField(required=False, label="No charge")

    # Service field names -> form field names, for refusals.
    FIELD_MAP = {"hours_worked": "hours"}

    field_order = ["timekeeper", "matter", "worked_on", "hours", "time_from", "time_to", "minutes",
                   "narrative", "task_code", "activity_code", "no_charge"]

    def __init__(self, *args: Any, timekeepers: QuerySet[Timekeeper], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timekeeper"].queryset = timekeepers  # type: ignore[attr-defined]
        self.fields["matter"].queryset = open_matters()  # type: ignore[attr-defined]
        link_codes_to_matter(self, "task_code", "activity_code")


def link_codes_to_matter(form: forms.Form, *fields: str) -> None:
    """The code pickers offer the sets the matter typed in the same form requires."""
    for name in fields:
        form.fields[name].widget.attrs["data-picker-matter"] = form["matter"].auto_id


class TimeEntryRowForm(forms.Form):
    """The inline edit of one grid row; matter and timekeeper stay as they are."""

    worked_on = forms.DateField(widget=DATE)
    hours_worked = forms.DecimalField(min_value=Decimal(0), max_digits=6, decimal_places=3)
    hours_billable = forms.DecimalField(min_value=Decimal(0), max_digits=6, decimal_places=3)
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    task_code = forms.CharField(required=False, max_length=10)
    activity_code = forms.CharField(required=False, max_length=10)
    charge_type = forms.ChoiceField(choices=ChargeType.choices)


class TimerStartForm(forms.Form):
    matter = MatterPickerField(queryset=Matter.objects.none())
    narrative = forms.CharField(required=False, max_length=2000)
    task_code = forms.CharField(required=False, max_length=10, label="Task code",
                                widget=code_input("task_code", "L120"))
    activity_code = forms.CharField(required=False, max_length=10, label="Activity code",
                                    widget=code_input("activity_code", "A104"))
    timekeeper = TimekeeperChoiceField(queryset=Timekeeper.objects.none())

    FIELD_MAP: dict[str, str] = {}

    def __init__(self, *args: Any, timekeepers: QuerySet[Timekeeper], **kwargs: Any) -> None:
        # Shown on the grid page next to the filter form: keep the element ids apart.
        kwargs.setdefault("auto_id", "timer_%s")
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = open_matters()  # type: ignore[attr-defined]
        self.fields["timekeeper"].queryset = timekeepers  # type: ignore[attr-defined]
        link_codes_to_matter(self, "task_code", "activity_code")


class ExpenseFilterForm(forms.Form):
    matter = forms.CharField(required=False, label="Matter no.", widget=PickerInput(
        "matter_picker", attrs={"size": 12, "data-picker-all": "1"}))
    date_from = forms.DateField(required=False, widget=DATE, label="From")
    date_to = forms.DateField(required=False, widget=DATE, label="To")
    status = forms.ChoiceField(choices=[("", "All"), *EntryStatus.choices], required=False)
    cost_type = forms.ChoiceField(choices=[("", "All"), *CostType.choices], required=False, label="Cost")
    charge_type = forms.ChoiceField(choices=[("", "All"), *ChargeType.choices], required=False, label="Charge")
    q = forms.CharField(required=False, label="Description")


class ExpenseForm(forms.Form):
    matter = MatterPickerField(queryset=Matter.objects.none())
    timekeeper = TimekeeperChoiceField(queryset=Timekeeper.objects.none(), required=False)
    incurred_on = forms.DateField(widget=DATE, label="Date")
    expense_code = forms.CharField(required=False, max_length=10, label="Expense code",
                                   widget=code_input("expense_code", "E101"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    quantity = forms.DecimalField(min_value=Decimal("0.001"), max_digits=12, decimal_places=3, initial=1)
    unit_cost = MoneyField(help_text="In the matter's currency, e.g. 0.15")
    cost_type = forms.ChoiceField(choices=CostType.choices, initial=CostType.HARD, label="Hard / soft")
    no_charge = forms.BooleanField(required=False, label="No charge")

    FIELD_MAP = {"unit_cost_minor": "unit_cost"}

    def __init__(self, *args: Any, timekeepers: QuerySet[Timekeeper], timekeeper_required: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = open_matters()  # type: ignore[attr-defined]
        self.fields["timekeeper"].queryset = timekeepers  # type: ignore[attr-defined]
        self.fields["timekeeper"].required = timekeeper_required
        link_codes_to_matter(self, "expense_code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        matter, unit_cost = data.get("matter"), data.get("unit_cost")
        if matter is not None and unit_cost is not None:
            data["unit_cost_minor"] = money_to_minor(self, "unit_cost", matter.currency)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "matter": data["matter"], "timekeeper": data.get("timekeeper"), "incurred_on": data["incurred_on"],
            "expense_code": data.get("expense_code", ""), "description": data["description"],
            "quantity": data["quantity"], "unit_cost_minor": data["unit_cost_minor"],
            "cost_type": data["cost_type"],
            "charge_type": ChargeType.NO_CHARGE if data.get("no_charge") else ChargeType.BILLABLE,
        }
