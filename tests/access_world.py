"""One firm with a record of every kind and a user of every role, for the access matrix.

"Own" rows belong to the attorney user (Ann, timekeeper AN, billing attorney of ACME-002); "theirs" rows
belong to other timekeepers (RA is billing attorney of ACME-001, JD records time there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from lexbill.billing.models import (
    BillRun,
    BulkJob,
    Delivery,
    DeliveryStatus,
    FeeItem,
    Invoice,
    PreBill,
    PreBillLine,
    PreBillQuery,
    PreBillStatus,
    Recovery,
    TaxRate,
)
from lexbill.billing.services.billrun import billrun_create
from lexbill.billing.services.bulk import bulk_job_create
from lexbill.billing.services.fees import fee_item_create, recovery_create
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.billing.services.settings import tax_rate_create
from lexbill.clients.models import Client, ClientContact, FeeArrangement, Matter, MatterPayor
from lexbill.core.models import ApiToken, AuditEvent, Firm, Membership
from lexbill.core.services import api_token_create
from lexbill.ebilling.models import Submission
from lexbill.ebilling.tests.submission_helpers import submitted
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import Expense, TimeEntry, Timer
from lexbill.timekeeping.services import expense_create, time_entry_create, timer_start

ROLES = ("admin", "billing", "attorney", "accounting", "client")
WORKED_ON = date(2026, 3, 4)
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@dataclass
class World:
    firm: Firm
    users: dict[str, User]
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)


def build_world(firm: Firm) -> World:
    users = {role: factories.make_user(firm, email=f"{role}@arnsley.example", role=role) for role in ROLES}
    tokens = {role: api_token_create(firm=firm, user=user, name="matrix")[1] for role, user in users.items()}
    ra = factories.make_timekeeper(firm, initials="RA", first_name="Robert", last_name="Arnsley",
                                   classification="PT", standard_rate_minor=50000)
    jd = factories.make_timekeeper(firm, initials="JD", first_name="Jane", last_name="Doe",
                                   classification="AS", standard_rate_minor=30000)
    an = factories.make_timekeeper(firm, initials="AN", first_name="Ann", last_name="Noble", classification="PT",
                                   standard_rate_minor=40000, user=users["attorney"])
    acme = factories.make_client(firm, code="ACME", name="Acme Corp")
    insco = factories.make_client(firm, code="INSCO", name="Insurer Co")
    bare_client = factories.make_client(firm, code="BARE", name="Bare Co")
    bare_timekeeper = factories.make_timekeeper(firm, initials="BT", classification="LA", standard_rate_minor=9000)
    theirs = factories.make_matter(firm, client=acme, billing_attorney=ra, number="ACME-001", name="Acme v. Widget")
    own = factories.make_matter(firm, client=acme, billing_attorney=an, number="ACME-002", name="Acme lease")
    contingency = factories.make_matter(firm, client=acme, billing_attorney=ra, number="ACME-003", name="Acme claim",
                                        fee_arrangement=FeeArrangement.CONTINGENCY, fee_percent_bp=3000)

    bare_matter = factories.make_matter(firm, client=insco, billing_attorney=ra, number="INS-001", name="Bare")
    submission = submitted(firm, theirs, ra, jd)
    approved = make_prebill(firm, contingency, work=[(jd, WORKED_ON, "0.5", "Claim letter")],
                            status=PreBillStatus.APPROVED)
    theirs_prebill = make_prebill(firm, theirs, work=[(jd, WORKED_ON, "1.0", "Research")])
    own_prebill = make_prebill(firm, own, work=[(an, WORKED_ON, "1.0", "Lease review")])
    query = prebill_query_add(prebill=theirs_prebill, question="Which research?", actor=None)

    def entry(timekeeper: Timekeeper, matter: Matter) -> TimeEntry:
        return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=WORKED_ON,
                                 duration=Duration(hours=Decimal("0.5")), narrative="Drafting", today=TODAY)

    def expense(timekeeper: Timekeeper, matter: Matter) -> Expense:
        return expense_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, incurred_on=WORKED_ON,
                              description="Courier", unit_cost_minor=1500, today=TODAY)

    world = World(firm=firm, users=users, tokens=tokens)
    world.ids = {
        "client": acme.pk, "bare_client": bare_client.pk, "bare_matter": bare_matter.pk,
        "bare_timekeeper": bare_timekeeper.pk, "approved_prebill": approved.pk, "matter": theirs.pk, "own_matter": own.pk, "contingency": contingency.pk,
        "timekeeper": jd.pk, "own_timekeeper": an.pk,
        "entry": entry(jd, theirs).pk, "own_entry": entry(an, own).pk,
        "expense": expense(jd, theirs).pk, "own_expense": expense(an, own).pk,
        "rate": rate_create(firm=firm, actor=None, timekeeper=jd, matter=theirs, effective_on=date(2026, 1, 1),
                            rate_minor=32000).pk,
        "tax": tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200000).pk,
        "fee_item": fee_item_create(firm=firm, matter=theirs, description="Filing", amount_minor=10000,
                                    actor=None, due_on=date(2026, 3, 1)).pk,
        "recovery": recovery_create(firm=firm, matter=contingency, amount_minor=100000, received_on=WORKED_ON,
                                    actor=None, today=TODAY).pk,
        "prebill": theirs_prebill.pk, "own_prebill": own_prebill.pk,
        "line": theirs_prebill.lines.get().pk, "own_line": own_prebill.lines.get().pk,
        "query": query.pk,
        "invoice": submission.invoice_id, "submission": submission.pk,
        "timer": timer_start(firm=firm, user=users["billing"], timekeeper=jd, matter=theirs, now=NOW).pk,
        "own_timer": timer_start(firm=firm, user=users["attorney"], timekeeper=an, matter=own, now=NOW).pk,
        "bill_run": billrun_create(firm=firm, through_on=date(2026, 3, 31), actor=None).pk,
        "member": users["billing"].pk,
    }
    # A finished ZIP job of the admin's over the invoice (not queued: the matrix reads it), and a failed delivery.
    job = bulk_job_create(firm=firm, kind="zip", actor=users["admin"], ids=[submission.invoice_id], enqueue=False)
    BulkJob.objects.filter(pk=job.pk).update(status="done", zip_content=b"PK\x05\x06" + bytes(18), zip_sha256="0" * 64)
    world.ids["bulk_job"] = job.pk
    # ACME's billing contact: where a send without --to goes (bulk send, the invoice page's Send button).
    ClientContact.objects.create(firm=firm, client=acme, name="Wile Coyote", email="ap@acme.example",
                                 is_billing_contact=True)
    world.ids["delivery"] = Delivery.objects.create(
        firm=firm, invoice_id=submission.invoice_id, status=DeliveryStatus.FAILED, attempted_at=NOW,
        recipients=["ap@acme.example"], subject="Invoice", error="550 No such mailbox").pk
    world.numbers = {"invoice": submission.invoice.number}
    return world


COUNTED = (Client, Matter, MatterPayor, Timekeeper, Rate, TaxRate, TimeEntry, Expense, Timer, FeeItem, Recovery,
           BillRun, PreBill, PreBillLine, PreBillQuery, Invoice, Submission, ApiToken, Membership, User, AuditEvent,
           BulkJob, Delivery)


def fingerprint() -> tuple[Any, ...]:
    """Row counts of every kind, audit events (every audited change adds one), and what changes unaudited
    (timers running, pre-bill line states, query answers, firm settings)."""
    with connection.cursor() as cursor:  # one round trip for every count: the matrix takes thousands
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"
                                             for m in COUNTED))
        counts = tuple(cursor.fetchone())
    timers = tuple(Timer.objects.order_by("pk").values_list("pk", "started_at", "accumulated_seconds"))
    lines = tuple(PreBillLine.objects.order_by("pk").values_list("pk", "is_current", "total_minor", "narrative"))
    answers = tuple(PreBillQuery.objects.order_by("pk").values_list("pk", "answer"))
    prebills = tuple(PreBill.objects.order_by("pk").values_list("pk", "status"))
    return counts + timers + lines + answers + prebills
