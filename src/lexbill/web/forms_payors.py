"""The payors of a split-billed matter: a few rows of client code, share (percent) and the payor's matter id."""

from __future__ import annotations

from typing import Any

from django import forms

from lexbill.clients.models import Client
from lexbill.clients.services_payors import PayorShare, parse_share
from lexbill.core.errors import ValidationFailed
from lexbill.core.percent import percent_text

MAX_PAYORS = 10


class PayorRowForm(forms.Form):
    client = forms.CharField(label="Client code", max_length=30, required=False)
    share = forms.CharField(label="Share %", max_length=10, required=False, help_text="e.g. 60 or 33.33")
    client_matter_id = forms.CharField(label="Their matter id", max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, share = data.get("client", "").strip(), data.get("share", "").strip()
        if not code and not share and not data.get("client_matter_id", "").strip():
            return data  # an empty row
        if not code:
            self.add_error("client", "Give the payor's client code.")
        elif (found := Client.objects.filter(code__iexact=code).first()) is None:
            self.add_error("client", f"No client with code {code}.")
        else:
            data["client_obj"] = found
        if not share:
            self.add_error("share", "Give the payor's share.")
        else:
            try:
                data["share_bp"] = parse_share(share)
            except ValidationFailed as exc:
                self.add_error("share", exc.message)
        return data

    def payor(self) -> PayorShare | None:
        data = self.cleaned_data
        if "client_obj" not in data:
            return None
        return PayorShare(data["client_obj"], data["share_bp"], data.get("client_matter_id", ""))


PayorFormSet = forms.formset_factory(PayorRowForm, extra=0, max_num=MAX_PAYORS, absolute_max=MAX_PAYORS,
                                     validate_max=True)


def payor_initial(rows: list[Any], blank_rows: int = 2) -> list[dict[str, str]]:
    """The current payors as form rows (shares as typed: 60, 33.33), plus empty rows to add more."""
    initial = [{"client": r.client.code, "share": percent_text(r.share_bp).removesuffix(".00"),
                "client_matter_id": r.client_matter_id} for r in rows]
    return initial + [{}] * max(0, min(blank_rows, MAX_PAYORS - len(initial)))
