"""Seeded builders for tests: small, explicit, going through the real services."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from lexbill.clients.models import Client, Matter
from lexbill.clients.services import client_create, matter_create
from lexbill.core.models import Firm
from lexbill.core.services import firm_create, user_add
from lexbill.ebilling.settings import client_settings_update, split_client_settings
from lexbill.staff.models import Timekeeper
from lexbill.staff.services import timekeeper_create

_seq = itertools.count(1)


def make_firm(name: str | None = None, **extra: Any) -> Firm:
    n = next(_seq)
    return firm_create(name=name or f"Firm {n}", slug=extra.pop("slug", None) or f"firm-{n}", **extra)


def make_user(firm: Firm, *, email: str | None = None, role: str = "admin", password: str = "correct-horse-42"):  # type: ignore[no-untyped-def]
    user, _ = user_add(firm=firm, email=email or f"user{next(_seq)}@example.com", role=role, password=password)
    return user


def make_timekeeper(firm: Firm, **fields: Any) -> Timekeeper:
    n = next(_seq)
    defaults: dict[str, Any] = {"initials": f"T{n}", "first_name": "Terry", "last_name": f"Keeper{n}",
                                "classification": "AS", "standard_rate_minor": 30000}
    defaults.update(fields)
    return timekeeper_create(firm=firm, actor=None, **defaults)


def make_client(firm: Firm, **fields: Any) -> Client:
    n = next(_seq)
    defaults: dict[str, Any] = {"code": f"C{n:04d}", "name": f"Client {n} Inc."}
    defaults.update(fields)
    settings = split_client_settings(defaults)  # tax method and LEDES settings: billing's and e-billing's rows
    client = client_create(firm=firm, actor=None, **defaults)
    if settings:
        client_settings_update(client=client, actor=None, **settings)
    return client


def make_matter(firm: Firm, *, client: Client | None = None, billing_attorney: Timekeeper | None = None,
                **fields: Any) -> Matter:
    n = next(_seq)
    client = client or make_client(firm)
    billing_attorney = billing_attorney or make_timekeeper(firm, classification="PT")
    defaults: dict[str, Any] = {"number": f"{client.code}-{n:03d}", "name": f"Matter {n}",
                                "opened_on": date(2026, 1, 1)}
    defaults.update(fields)
    return matter_create(firm=firm, actor=None, client=client, billing_attorney=billing_attorney, **defaults)


def user_model():  # type: ignore[no-untyped-def]
    return get_user_model()
