"""Forms for the firm's billing settings and its tax rates.

They parse what people type (an increment in hours, a rate in percent) into the services' units; the
services do the real checks (number formats, email templates, time zones) so that the web, the CLI and
any later caller refuse the same things with the same words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import model_to_dict

from lexbill.billing.domain.tax_rates import percent_to_ppm, ppm_to_percent
from lexbill.billing.models import TaxMethod, firm_billing_settings
from lexbill.billing.services.settings import ADDRESS_FIELDS, BILLING_SETTINGS, FIRM_FIELDS, PLACEHOLDER_HELP
from lexbill.clients.models import Client
from lexbill.core.models import Firm
from lexbill.ebilling.models import firm_ebilling_settings

from .forms_common import IncrementField
from .forms_records import RecordForm

_TEXT = {"rows": 3}


class FirmSettingsForm(RecordForm):
    model_fields = ["invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
                    "invoice_email_subject", "invoice_email_body", "currency", "timezone", "ledes_law_firm_id",
                    *ADDRESS_FIELDS]
    aliases = {"billing_increment_milli": "billing_increment"}

    invoice_number_format = forms.CharField(max_length=60,
                                            help_text="{year} and {seq}, e.g. {year}-{seq:05d} gives 2026-00042.")
    credit_note_number_format = forms.CharField(max_length=60, help_text="e.g. CN{year}-{seq:05d}.")
    tax_method = forms.ChoiceField(choices=TaxMethod.choices)
    payment_instructions = forms.CharField(widget=forms.Textarea(attrs=_TEXT), required=False,
                                           help_text="Printed on every invoice.")
    invoice_email_subject = forms.CharField(max_length=200, help_text=f"Placeholders: {PLACEHOLDER_HELP}.")
    invoice_email_body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}),
                                         help_text=f"Placeholders: {PLACEHOLDER_HELP}.")
    billing_increment = IncrementField(help_text="Hours, e.g. 0.1 for six minutes.")
    currency = forms.CharField(max_length=3, help_text="Three letters, e.g. USD.")
    timezone = forms.CharField(label="Time zone", max_length=64, help_text="e.g. America/New_York.")
    ledes_law_firm_id = forms.CharField(label="LEDES law firm id (tax id)", max_length=20, required=False)
    # The letterhead address, shown in a fieldset of its own (see address_fields).
    address_line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State / region", max_length=100, required=False)
    postcode = forms.CharField(label="ZIP / postcode", max_length=20, required=False)
    country = forms.CharField(max_length=2, required=False, help_text="Two letters (ISO 3166), e.g. US or GB.")

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        # The page shows the firm's own fields, billing's settings and e-billing's LEDES id as one form.
        assert isinstance(instance, Firm)
        initial = model_to_dict(instance, fields=FIRM_FIELDS)
        initial |= model_to_dict(firm_billing_settings(instance), fields=BILLING_SETTINGS)
        initial["ledes_law_firm_id"] = firm_ebilling_settings(instance).ledes_law_firm_id
        initial["billing_increment"] = instance.billing_increment_milli
        return initial

    def settings_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ADDRESS_FIELDS]

    def address_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ADDRESS_FIELDS]

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        data["billing_increment_milli"] = self.cleaned_data["billing_increment"]
        return data


class RatePercentField(forms.CharField):
    """A percentage as typed ("8.875"), cleaned to parts per million (88750) without rounding."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "20"}))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):  # initial data: ppm from the row
            return str(ppm_to_percent(value))
        return value

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return percent_to_ppm(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{exc}.") from exc


class TaxRateForm(RecordForm):
    model_fields = ["name", "client", "applies_to_fees", "applies_to_expenses", "is_active"]
    aliases = {"rate_ppm": "rate"}

    name = forms.CharField(max_length=60, help_text="As printed on the invoice, e.g. VAT or NY sales tax.")
    rate = RatePercentField(label="Rate (%)", help_text="A percentage, e.g. 20 or 8.875.")
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False,
                                    empty_label="Every client (firm-wide)",
                                    help_text="A client's own rates replace the firm-wide ones for that client.")
    applies_to_fees = forms.BooleanField(required=False, initial=True)
    applies_to_expenses = forms.BooleanField(required=False, initial=True)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.order_by("name", "pk")  # type: ignore[attr-defined]
        if self.instance is None:
            del self.fields["is_active"]  # a new rate is active; deactivating is an edit

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("applies_to_fees") and not cleaned.get("applies_to_expenses"):
            self.add_error("applies_to_fees", "A tax rate applies to fees, expenses or both.")
        return cleaned

    def to_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.model_fields if name in self.fields}
        data["rate_ppm"] = self.cleaned_data["rate"]
        return data
