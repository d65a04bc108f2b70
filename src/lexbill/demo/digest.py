"""A fingerprint of a firm's content without database ids, to show that a seed reproduces a firm.

Rows are read in insertion order; keys to other rows are replaced by what people see (initials, client
code, matter number, user name), and ids, the firm and the wall-clock stamps are left out.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from lexbill.clients.models import Client, ClientContact, Matter, MatterPayor
from lexbill.core.models import Firm, Membership
from lexbill.ebilling.models import ClientEbillingSettings
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry

SKIPPED = {"id", "firm", "created_at", "updated_at"}
MODELS: tuple[type[models.Model], ...] = (Timekeeper, Client, ClientEbillingSettings, ClientContact, Matter,
                                         MatterPayor, Rate, TimeEntry, Expense, Membership)


def firm_digest(firm: Firm) -> dict[str, str]:
    """SHA-256 of each table's rows for the firm (call inside the firm's scope)."""
    names: dict[type[models.Model], dict[Any, str]] = {
        Timekeeper: dict(Timekeeper.objects.values_list("pk", "initials")),
        Client: dict(Client.objects.values_list("pk", "code")),
        Matter: dict(Matter.objects.values_list("pk", "number")),
        get_user_model(): dict(get_user_model().objects.filter(memberships__firm=firm).values_list("pk", "username")),
    }
    digests = {}
    for model in MODELS:
        fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
        digest = hashlib.sha256()
        rows = model._default_manager.filter(firm=firm).order_by("pk").values_list(*[f.attname for f in fields])
        for row in rows.iterator(chunk_size=5_000):
            shown = [
                names[f.related_model].get(value, "?")  # type: ignore[index]
                if f.is_relation and value is not None else value
                for f, value in zip(fields, row, strict=True)
            ]
            digest.update(repr(shown).encode())
        digests[model._meta.label] = digest.hexdigest()
    return digests
