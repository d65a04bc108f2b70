"""Issue #8, item 1: the API checked only "is staff". Each finding, reproduced through the API.

An accounting (read-only) token created and deleted a client, cut a timekeeper's standard rate, set a
matter to a flat fee and split its billing; an attorney token created a 9,999/h rate for herself, edited
another attorney's entry, booked time for another timekeeper, and listed every pre-bill and time entry.
Now the API asks lexbill.access, as the web does: 403 for a role that may only read, 404 for a row the
actor may not see, and nothing changes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lexbill.billing.models import PreBill
from lexbill.clients.models import Client, Matter, MatterPayor
from lexbill.core.models import AuditEvent
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import TimeEntry
from lexbill.timekeeping.services import time_entry_create

from .billing_api_helpers import acme_prebill, api_as

TODAY = date(2026, 3, 2)


def _entry(firm, matter, timekeeper, hours: str = "0.9") -> TimeEntry:  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=date(2026, 2, 3),
                             duration=Duration(hours=Decimal(hours)), narrative="Drafting", today=TODAY)


def _fingerprint() -> tuple[int, ...]:
    return (Client.objects.count(), Matter.objects.count(), Rate.objects.count(), TimeEntry.objects.count(),
            MatterPayor.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def attorney(firm):  # type: ignore[no-untyped-def]
    """An attorney user linked to her own timekeeper, billing attorney of her own matter."""
    api, user = api_as(firm, "attorney", "ann@arnsley.example")
    own = factories.make_timekeeper(firm, initials="AN", classification="PT", standard_rate_minor=40000, user=user)
    return api, own


# --- accounting: read-only --------------------------------------------------------------------------------


def test_accounting_cannot_create_or_delete_a_client(firm, client_acme):
    accounting, _ = api_as(firm, "accounting")
    before = _fingerprint()

    created = accounting.post("/clients/", {"code": "NEWCO", "name": "New Co"})
    deleted = accounting.delete(f"/clients/{client_acme.pk}")

    assert (created.status_code, created.json()["code"]) == (403, "forbidden")
    assert (deleted.status_code, deleted.json()["code"]) == (403, "forbidden")
    assert _fingerprint() == before
    assert Client.objects.filter(code="ACME").exists()


def test_accounting_cannot_cut_a_standard_rate(firm, associate):
    accounting, _ = api_as(firm, "accounting")
    before = _fingerprint()

    response = accounting.patch(f"/timekeepers/{associate.pk}", {"standard_rate": "1.00"})

    assert response.status_code == 403
    assert Timekeeper.objects.get(pk=associate.pk).standard_rate_minor == 30000
    assert _fingerprint() == before


def test_accounting_cannot_set_a_flat_fee_or_split_billing(firm, matter):
    accounting, _ = api_as(firm, "accounting")
    factories.make_client(firm, code="INSCO", name="Insurer")
    before = _fingerprint()

    fee = accounting.patch(f"/matters/{matter.pk}", {"fee_arrangement": "flat", "fee_amount": "1.00"})
    split = accounting.put(f"/matters/{matter.pk}/payors", {"payors": [{"client": "ACME", "share": "50"},
                                                                        {"client": "INSCO", "share": "50"}]})

    assert (fee.status_code, split.status_code) == (403, 403)
    matter.refresh_from_db()
    assert (matter.fee_arrangement, matter.fee_amount_minor) == ("hourly", None)
    assert _fingerprint() == before


def test_accounting_still_reads(firm, client_acme):
    accounting, _ = api_as(firm, "accounting")

    assert [c["code"] for c in accounting.get("/clients/").json()["items"]] == ["ACME"]


# --- attorney: her own time, no rates ---------------------------------------------------------------------


def test_attorney_cannot_create_a_rate_for_herself(firm, matter, attorney):
    api, own = attorney
    before = _fingerprint()

    response = api.post("/rates/", {"timekeeper": own.initials, "effective_on": "2026-01-01", "rate": "9999.00"})

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert _fingerprint() == before


def test_attorney_cannot_see_or_edit_another_attorneys_entry(firm, matter, associate, attorney):
    api, _own = attorney
    theirs = _entry(firm, matter, associate)
    before = _fingerprint()

    read = api.get(f"/time-entries/{theirs.pk}")
    edited = api.patch(f"/time-entries/{theirs.pk}", {"hours_billable": "9.9"})
    deleted = api.delete(f"/time-entries/{theirs.pk}")

    assert (read.status_code, edited.status_code, deleted.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert (theirs.hours_worked, theirs.hours_billable) == (Decimal("0.9"), Decimal("0.9"))
    assert _fingerprint() == before


def test_attorney_cannot_book_time_for_another_timekeeper(firm, matter, associate, attorney):
    api, _own = attorney
    before = _fingerprint()

    response = api.post("/time-entries/", {"matter": matter.number, "timekeeper": associate.initials,
                                           "worked_on": "2026-02-03", "narrative": "Not mine", "hours": "1.0"})

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert _fingerprint() == before


def test_attorney_cannot_move_her_entry_to_another_timekeeper(firm, matter, associate, attorney):
    api, own = attorney
    mine = _entry(firm, matter, own)
    before = _fingerprint()

    response = api.patch(f"/time-entries/{mine.pk}", {"timekeeper": associate.initials})

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.timekeeper_id == own.pk
    assert _fingerprint() == before


def test_attorney_records_and_edits_her_own_time(firm, matter, attorney):
    api, own = attorney

    created = api.post("/time-entries/", {"matter": matter.number, "timekeeper": own.initials,
                                          "worked_on": "2026-02-03", "narrative": "Mine", "hours": "1.0"})
    edited = api.patch(f"/time-entries/{created.json()['id']}", {"narrative": "Mine, edited"})

    assert (created.status_code, edited.status_code) == (201, 200)
    assert TimeEntry.objects.get(pk=created.json()["id"]).narrative == "Mine, edited"


def test_attorney_lists_only_her_own_time_and_prebills(firm, client_acme, partner, associate, matter, attorney):
    api, own = attorney
    own_matter = factories.make_matter(firm, client=client_acme, billing_attorney=own, number="ACME-002")
    mine = _entry(firm, own_matter, own, "1.0")
    _entry(firm, matter, associate)
    _entry(firm, matter, partner)
    acme_prebill(firm, matter, partner, associate)
    own_prebill = make_prebill(firm, own_matter)

    entries = api.get("/time-entries/").json()["items"]
    prebills = api.get("/prebills/").json()

    assert [e["id"] for e in entries] == [mine.pk]
    assert (prebills["count"], [p["id"] for p in prebills["items"]]) == (1, [own_prebill.pk])
    assert TimeEntry.objects.count() > 1 and PreBill.objects.count() == 2
