"""Forms for clients, contacts, matters, timekeepers and rates.

Plain forms, not ModelForms: a ModelForm writes the cleaned values onto the instance, while the services
want to see the old row and the changes apart (to validate, write and audit in one place). The forms
parse what people type and turn it into the services' keyword arguments; they run inside the active
firm's scope, so every choice list holds only the firm's own rows.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone

from lexbill.billing.models import MissingCodes, TaxMethod, client_billing_settings
from lexbill.clients.models import Client, ClientContact, FeeArrangement, Matter, MatterStatus, RetainerMonth
from lexbill.codes.loader import SET_NAMES, set_choices
from lexbill.core.currencies import is_known_currency, unknown_currency_message
from lexbill.core.models import Firm
from lexbill.ebilling.models import ClientEbillingSettings, client_ebilling_settings
from lexbill.rates.models import Rate
from lexbill.staff.models import Classification, Timekeeper

from .forms_common import IncrementField, MoneyField, PercentField, money_initial, money_to_minor
from .service_forms import ServiceErrorsMixin

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(ServiceErrorsMixin, forms.Form):
    """Base: knows the firm and the row being edited, and maps a service's error to the right field."""

    model_fields: list[str] = []
    # Service field name -> form field name, where the form shows the value in other units.
    aliases: dict[str, str] = {}

    def __init__(self, *args: Any, firm: Firm, instance: models.Model | None = None, **kwargs: Any) -> None:
        self.firm = firm
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        initial = model_to_dict(instance, fields=self.model_fields)
        for service_name, form_name in self.aliases.items():
            initial[form_name] = getattr(instance, service_name)
        return initial

    def to_service(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments."""
        raise NotImplementedError

    def clean_utbms_code_sets(self) -> list[str]:
        # Stored in the catalogue's order, whatever order the boxes were ticked in.
        chosen = set(self.cleaned_data.get("utbms_code_sets") or [])
        return [name for name in SET_NAMES if name in chosen]

    def _others(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.exclude(pk=self.instance.pk) if self.instance is not None else queryset

    def _code(self, name: str, pattern: re.Pattern[str], what: str) -> str:
        value = str(self.cleaned_data.get(name) or "").strip().upper()
        if not pattern.match(value):
            raise forms.ValidationError(f"Enter a {what}.")
        return value


def _code_sets_field(help_text: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(choices=set_choices(), required=False, label="Required UTBMS code sets",
                                     widget=forms.CheckboxSelectMultiple, help_text=help_text)


class ClientForm(RecordForm):
    model_fields = ["code", "name", "address_line1", "address_line2", "city", "region", "postcode", "country",
                    "currency", "payment_terms_days", "ledes_client_id", "tax_method", "wants_ledes",
                    "is_consolidated_billing", "is_active", "notes", "utbms_code_sets", "missing_codes"]
    aliases = {"billing_increment_milli": "billing_increment"}
    utbms_code_sets = _code_sets_field("Time and expenses must carry codes from these sets.")
    missing_codes = forms.ChoiceField(
        choices=MissingCodes.choices, initial=MissingCodes.REFUSE, required=False, label="Lines missing required codes",
        help_text="At approval, when the sets above are required: refuse uncoded lines, or only warn.")
    billing_increment = IncrementField(required=False, help_text="Hours, e.g. 0.1; empty: the firm's increment.")
    tax_method = forms.ChoiceField(choices=[("", "The firm's setting"), *TaxMethod.choices], required=False)
    field_order = [*model_fields[:11], "billing_increment", "tax_method"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is None:
            self.fields["currency"].initial = self.firm.currency

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        # The tax method is billing's and the LEDES settings e-billing's: shown on the same form.
        initial = super().initial_from(instance)
        assert isinstance(instance, Client)
        ebilling = client_ebilling_settings(instance)
        billing = client_billing_settings(instance)
        return initial | {"tax_method": billing.tax_method, "missing_codes": billing.missing_codes,
                          "ledes_client_id": ebilling.ledes_client_id, "wants_ledes": ebilling.wants_ledes}

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self._others(Client.objects.filter(code=code)).exists():
            raise forms.ValidationError(f"Client number {code} is already taken.")
        return code

    def clean_currency(self) -> str:
        code = self._code("currency", _CURRENCY, "three-letter currency code such as USD")
        if not is_known_currency(code):
            raise forms.ValidationError(unknown_currency_message(code))
        return code

    def clean_country(self) -> str:
        return self._code("country", _COUNTRY, "two-letter country code such as US")

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        data["billing_increment_milli"] = self.cleaned_data["billing_increment"]
        if not data["missing_codes"]:  # a form posted without the field keeps the client's setting
            del data["missing_codes"]
        return data


_CLIENT_EBILLING_FIELDS = ["ledes_client_id", "wants_ledes"]
ClientForm.base_fields = {
    **fields_for_model(Client, fields=[f for f in ClientForm.model_fields
                                       if f not in ("tax_method", "missing_codes", "utbms_code_sets",
                                                    *_CLIENT_EBILLING_FIELDS)]),
    **fields_for_model(ClientEbillingSettings, fields=_CLIENT_EBILLING_FIELDS),
    **ClientForm.base_fields}


class ContactForm(RecordForm):
    model_fields = ["name", "email", "phone", "role", "is_billing_contact"]

    def to_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.model_fields}


ContactForm.base_fields = fields_for_model(ClientContact, fields=ContactForm.model_fields)


class MatterForm(RecordForm):
    model_fields = ["client", "number", "name", "client_matter_id", "description", "billing_attorney",
                    "responsible_attorney", "originating_attorney", "status", "opened_on", "closed_on",
                    "fee_arrangement", "retainer_first_month", "retainer_last_month", "utbms_code_sets"]
    aliases = {"fee_amount_minor": "fee_amount", "fee_percent_bp": "fee_percent",
               "billing_increment_milli": "billing_increment", "budget_minor": "budget"}

    client = forms.ModelChoiceField(queryset=Client.objects.none())
    number = forms.CharField(label="Matter number", max_length=40)
    name = forms.CharField(max_length=200)
    client_matter_id = forms.CharField(label="Client's matter id", max_length=60, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    billing_attorney = forms.ModelChoiceField(queryset=Timekeeper.objects.none())
    responsible_attorney = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False)
    originating_attorney = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False)
    status = forms.ChoiceField(choices=MatterStatus.choices, initial=MatterStatus.OPEN)
    opened_on = forms.DateField(widget=_DATE, initial=timezone.localdate)
    closed_on = forms.DateField(widget=_DATE, required=False)
    fee_arrangement = forms.ChoiceField(choices=FeeArrangement.choices, initial=FeeArrangement.HOURLY)
    fee_amount = MoneyField(required=False, help_text="Flat fee, cap, monthly retainer or blended hourly rate.")
    fee_percent = PercentField(required=False, label="Contingency percent", help_text="e.g. 33.33")
    retainer_first_month = forms.ChoiceField(
        choices=RetainerMonth.choices, initial=RetainerMonth.FULL, required=False, label="Retainer: opening month",
        help_text="Prorated: the fee × days open in the month ÷ days in the month, rounded once.")
    retainer_last_month = forms.ChoiceField(
        choices=RetainerMonth.choices, initial=RetainerMonth.FULL, required=False, label="Retainer: closing month")
    billing_increment = IncrementField(required=False, help_text="Hours, e.g. 0.1; empty: the client's or firm's.")
    budget = MoneyField(required=False)
    utbms_code_sets = _code_sets_field("None ticked: the client's sets apply.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.order_by("name")  # type: ignore[attr-defined]
        for name in ("billing_attorney", "responsible_attorney", "originating_attorney"):
            self.fields[name].queryset = Timekeeper.objects.order_by("last_name", "first_name")  # type: ignore[attr-defined]

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        assert isinstance(instance, Matter)
        initial = super().initial_from(instance)
        for name in ("fee_amount", "budget"):
            initial[name] = money_initial(getattr(instance, f"{name}_minor"), instance.currency)
        return initial

    def clean_retainer_first_month(self) -> str:
        return self.cleaned_data["retainer_first_month"] or RetainerMonth.FULL  # not posted: the default

    def clean_retainer_last_month(self) -> str:
        return self.cleaned_data["retainer_last_month"] or RetainerMonth.FULL

    def clean_number(self) -> str:
        number = str(self.cleaned_data["number"]).strip()
        if self._others(Matter.objects.filter(number=number)).exists():
            raise forms.ValidationError(f"Matter number {number} is already taken.")
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        client = cleaned.get("client")
        currency = client.currency if client is not None else self.firm.currency
        cleaned["fee_amount_minor"] = money_to_minor(self, "fee_amount", currency)
        cleaned["budget_minor"] = money_to_minor(self, "budget", currency)
        if cleaned.get("status") == MatterStatus.CLOSED and not cleaned.get("closed_on") and "closed_on" in cleaned:
            self.add_error("closed_on", "A closed matter needs a closing date.")
        return cleaned

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        data["currency"] = data["client"].currency
        data["fee_amount_minor"] = self.cleaned_data["fee_amount_minor"]
        data["fee_percent_bp"] = self.cleaned_data["fee_percent"]
        data["billing_increment_milli"] = self.cleaned_data["billing_increment"]
        data["budget_minor"] = self.cleaned_data["budget_minor"]
        return data


class TimekeeperForm(RecordForm):
    model_fields = ["initials", "first_name", "last_name", "title", "classification", "is_active"]
    aliases = {"standard_rate_minor": "standard_rate"}
    standard_rate = MoneyField(help_text="Hourly, in the firm's currency.")
    field_order = [*model_fields[:5], "standard_rate"]

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        assert isinstance(instance, Timekeeper)
        initial = super().initial_from(instance)
        initial["standard_rate"] = money_initial(instance.standard_rate_minor, self.firm.currency)
        return initial

    def clean_initials(self) -> str:
        initials = str(self.cleaned_data["initials"]).strip().upper()
        if self._others(Timekeeper.objects.filter(initials=initials)).exists():
            raise forms.ValidationError(f"Initials {initials} are already taken.")
        return initials

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["standard_rate_minor"] = money_to_minor(self, "standard_rate", self.firm.currency)
        return cleaned

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        data["standard_rate_minor"] = self.cleaned_data["standard_rate_minor"]
        return data


TimekeeperForm.base_fields = {**fields_for_model(Timekeeper, fields=TimekeeperForm.model_fields),
                              **TimekeeperForm.base_fields}


class RateForm(RecordForm):
    """Who (a timekeeper or a classification), where (a matter, a client or everywhere), from when, how much."""

    model_fields = ["timekeeper", "classification", "client", "matter", "effective_on", "note"]
    aliases = {"rate_minor": "rate"}

    timekeeper = forms.ModelChoiceField(queryset=Timekeeper.objects.none(), required=False)
    classification = forms.ChoiceField(choices=[("", "---------"), *Classification.choices], required=False,
                                       help_text="Instead of a timekeeper: a rate for everyone of this class.")
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False)
    matter = forms.ModelChoiceField(queryset=Matter.objects.none(), required=False,
                                    help_text="Neither client nor matter: the timekeeper's dated standard rate.")
    effective_on = forms.DateField(widget=_DATE, initial=timezone.localdate)
    rate = MoneyField(label="Hourly rate")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timekeeper"].queryset = Timekeeper.objects.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["client"].queryset = Client.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["matter"].queryset = Matter.objects.select_related("client").order_by("number")  # type: ignore[attr-defined]

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        assert isinstance(instance, Rate)
        initial = super().initial_from(instance)
        initial["rate"] = money_initial(instance.rate_minor, instance.currency)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        timekeeper, classification = cleaned.get("timekeeper"), cleaned.get("classification")
        client, matter = cleaned.get("client"), cleaned.get("matter")
        # A choice that was itself invalid already has its error; do not pile a second one on it.
        if {"timekeeper", "classification"} <= cleaned.keys() and bool(timekeeper) == bool(classification):
            self.add_error("timekeeper", "Choose a timekeeper or a classification (one of the two).")
        if client is not None and matter is not None:
            self.add_error("matter", "Choose a client or a matter, not both.")
        if classification and client is None and matter is None and {"client", "matter"} <= cleaned.keys():
            self.add_error("client", "A classification rate is for a client or a matter.")
        owner: Matter | Client | Firm = matter or client or self.firm
        cleaned["currency"] = owner.currency
        cleaned["rate_minor"] = money_to_minor(self, "rate", owner.currency)
        return cleaned

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        data["classification"] = data["classification"] or ""
        data["currency"] = self.cleaned_data["currency"]
        data["rate_minor"] = self.cleaned_data["rate_minor"]
        return data
