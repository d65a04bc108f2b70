"""E-billing settings of the firm (the LEDES law firm id): the only writer, checked, locked and audited.

The firm's settings page and `lexbill firm settings` call it beside billing's `firm_settings_update` (billing
cannot write e-billing's rows: ebilling sits above billing).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from lexbill.core.audit import audit_record
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.validation import apply_changes, validate_instance
from lexbill.ebilling.models import FirmEbillingSettings, firm_ebilling_settings

FIRM_EBILLING_SETTINGS = ["ledes_law_firm_id"]


def firm_ebilling_settings_update(*, firm: Firm, actor: User | None, **changes: Any) -> FirmEbillingSettings:
    """Change the firm's e-billing settings; nothing is written when a value is bad."""
    if isinstance(changes.get("ledes_law_firm_id"), str):
        changes["ledes_law_firm_id"] = changes["ledes_law_firm_id"].strip()
    with transaction.atomic():
        locked = Firm.objects.select_for_update().get(pk=firm.pk)
        settings = firm_ebilling_settings(locked)
        before = apply_changes(settings, changes, FIRM_EBILLING_SETTINGS)
        if not before:
            return settings
        if any(ch in settings.ledes_law_firm_id for ch in "\r\n|[]"):
            # LEDES 1998B separates fields with | and ends lines with [] (ebilling/ledes/writer.py).
            raise ValidationFailed("the LEDES law firm id cannot contain a line break, | or [ ]",
                                   field="ledes_law_firm_id")
        validate_instance(settings, exclude=["firm"])
        settings.save()
        audit_record(firm=locked, actor=actor, action="firm.ebilling_settings", entity="firm", entity_id=locked.pk,
                     before=before, after={k: getattr(settings, k) for k in before})
    return settings
