"""Set a firm's or a client's billing and e-billing settings in tests, straight to their rows (as a test once
set the fields on Firm and Client and saved), without the services' checks and audit events."""

from __future__ import annotations

from typing import Any

from lexbill.billing.models import ClientBillingSettings, FirmBillingSettings
from lexbill.clients.models import Client
from lexbill.core.models import Firm
from lexbill.ebilling.models import ClientEbillingSettings, FirmEbillingSettings

_FIRM_EBILLING = {"ledes_law_firm_id"}
_CLIENT_BILLING = {"tax_method", "missing_codes"}


def set_firm_settings(firm: Firm, **values: Any) -> None:
    """e.g. set_firm_settings(firm, tax_method="per_line", ledes_law_firm_id="24-6437381")."""
    billing = {k: v for k, v in values.items() if k not in _FIRM_EBILLING}
    ebilling = {k: v for k, v in values.items() if k in _FIRM_EBILLING}
    if billing:
        FirmBillingSettings.objects.update_or_create(firm=firm, defaults=billing)
    if ebilling:
        FirmEbillingSettings.objects.update_or_create(firm=firm, defaults=ebilling)


def set_client_settings(client: Client, **values: Any) -> None:
    """e.g. set_client_settings(client, tax_method="on_total", ebilling_portal="Legal Tracker")."""
    billing = {k: v for k, v in values.items() if k in _CLIENT_BILLING}
    ebilling = {k: v for k, v in values.items() if k not in _CLIENT_BILLING}
    if billing:
        ClientBillingSettings.objects.update_or_create(client=client, defaults={"firm_id": client.firm_id, **billing})
    if ebilling:
        ClientEbillingSettings.objects.update_or_create(client=client, defaults={"firm_id": client.firm_id, **ebilling})
