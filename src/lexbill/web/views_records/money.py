"""The money sections of the client and matter pages: unbilled WIP and the invoices with their status.

Set-based: a fixed number of queries however many entries and invoices there are. Every read goes through
lexbill.access (an attorney sees the WIP of her own time and the invoices of her matters)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lexbill.billing.selectors_invoice import visible_invoices
from lexbill.billing.selectors_records import invoice_status, invoiced_totals, invoices_of, with_status
from lexbill.clients.models import Client, Matter
from lexbill.core.hours import display_hours
from lexbill.core.money import format_money
from lexbill.timekeeping.selectors import visible_time_entries
from lexbill.timekeeping.valuation import wip_value

from ..access import actor_of_request, can_do

RECENT_INVOICES = 25


def money_context(request: HttpRequest, *, client: Client | None = None,
                  matter: Matter | None = None) -> dict[str, Any]:
    actor = actor_of_request(request)
    assert actor is not None
    entries = visible_time_entries(actor)
    entries = entries.filter(matter=matter) if matter is not None else entries.filter(matter__client=client)
    wip = wip_value(actor.firm, entries)
    context: dict[str, Any] = {
        "wip_hours": display_hours(wip.hours),
        "wip_money": [format_money(minor, currency) for currency, minor in sorted(wip.by_currency.items())],
        "wip_unpriced": wip.unpriced,
        "shows_invoices": can_do(request, "invoices.view"),
    }
    if context["shows_invoices"]:
        invoices = invoices_of(visible_invoices(actor), client=client, matter=matter)
        recent = list(with_status(invoices).select_related("matter", "credits")
                      .order_by("-issued_on", "-pk")[:RECENT_INVOICES])
        for invoice in recent:
            invoice.status = invoice_status(invoice)  # type: ignore[attr-defined]
        context.update(invoices=recent, invoiced=invoiced_totals(invoices),
                       client_code=client.code if client is not None else matter.client.code if matter else "")
    return context
