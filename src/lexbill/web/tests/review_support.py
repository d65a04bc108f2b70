"""Builders for the pre-bill page tests: a pre-bill from real WIP, users by role, reading a row back."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client as HttpClient

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.clients.models import Matter
from lexbill.core.models import AuditEvent, Firm
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

HX = {"HTTP_HX_REQUEST": "true"}


def acme_prebill(firm: Firm, matter: Matter, partner: Timekeeper, associate: Timekeeper, **fields: Any) -> PreBill:
    """JD 2.0 h x 300.00 = 600.00, RA 1.5 h x 500.00 = 750.00, a 45.00 courier: subtotal 1,395.00."""
    return make_prebill(firm, matter, work=[(associate, date(2026, 3, 2), "2.0", "Drafted motion"),
                                            (partner, date(2026, 3, 3), "1.5", "Reviewed motion")],
                        expenses=[(date(2026, 3, 4), "Courier", 4500, "1")], **fields)


def lines_of(prebill: PreBill) -> list[PreBillLine]:
    return list(PreBillLine.objects.filter(prebill=prebill).order_by("position"))


def figures(prebill: PreBill) -> list[tuple[Any, ...]]:
    """Everything a review action may change, to assert that a refusal changed nothing."""
    prebill.refresh_from_db()
    rows = [(line.pk, line.is_current, line.is_held, line.is_no_charge, line.hours_billed, line.base_minor,
             line.adjustment_minor, line.total_minor, line.narrative) for line in lines_of(prebill)]
    return [prebill.status, rows, prebill.queries.count(),
            AuditEvent.objects.filter(entity="prebill", entity_id=str(prebill.pk)).count()]


def login(http: HttpClient, firm: Firm, role: str, *, timekeeper: Timekeeper | None = None,
          email: str | None = None) -> Any:
    user = factories.make_user(firm, email=email or f"{role}@{firm.slug}.example", role=role)
    if timekeeper is not None:
        Timekeeper.objects.filter(pk=timekeeper.pk).update(user=user)
    http.force_login(user)
    return user


def line_url(prebill: PreBill, line: PreBillLine, action: str) -> str:
    return f"/prebills/{prebill.pk}/lines/{line.pk}/{action}/"
