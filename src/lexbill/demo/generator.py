"""`demo_create`: write the planned demo firm into the database, in one transaction.

The plan (plan.py) and the day-by-day work (activity.py) are drawn from the seed and the as-of date
alone, so the same arguments give the same rows on SQLite and PostgreSQL. Records go in with
`bulk_create`; time entries and expenses, which reach millions, stream through `RowWriter` in chunks so
memory stays flat. One audit event summarises the whole creation instead of one per row.
"""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from lexbill.clients.models import Client, ClientContact, Matter, MatterPayor, MatterStatus
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import Firm, Membership, Role
from lexbill.core.services import firm_create, user_add
from lexbill.core.tenancy import firm_scope
from lexbill.core.transactions import service_transaction
from lexbill.ebilling.models import ClientEbillingSettings, FirmEbillingSettings
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry

from .activity import EXPENSE_COLUMNS, TIME_COLUMNS, Activity, Keys
from .plan import SIZES, FirmPlan, plan_firm
from .writer import RowWriter, bulk_load_settings

ADMIN_EMAIL = "admin@demo.lexbill.test"
# Logins for the other office roles, so that each role's pages can be tried (same password as the admin).
STAFF_LOGINS = (("billing@demo.lexbill.test", Role.BILLING), ("accounting@demo.lexbill.test", Role.ACCOUNTING))
FIRM_TIMEZONE = "America/New_York"
URL = "http://127.0.0.1:8000"
CHUNK = 20_000  # rows per insert: large enough to amortise the round trip, small enough to keep memory flat
BATCH = 1_000


@dataclass
class DemoResult:
    firm: Firm
    size: str
    seed: int
    as_of: date
    admin_email: str
    admin_password: str
    counts: dict[str, int]
    seconds: float
    sample_timekeeper: str  # an active timekeeper on an open matter, to try `lexbill time add`
    sample_matter: str
    hours: dict[str, str] = field(default_factory=dict)
    logins: list[dict[str, str]] = field(default_factory=list)  # email, role, name: who can log in


    def as_json(self) -> dict[str, Any]:
        return {
            "firm": {"name": self.firm.name, "slug": self.firm.slug},
            "size": self.size, "seed": self.seed, "as_of": self.as_of.isoformat(), "counts": self.counts,
            "seconds": f"{self.seconds:.1f}",
            "login": {"url": URL, "email": self.admin_email, "password": self.admin_password},
            "logins": [{**login, "password": self.admin_password} for login in self.logins],
            "try": {"timekeeper": self.sample_timekeeper, "matter": self.sample_matter},
        }


def demo_create(
    *,
    size: str = "small",
    seed: int = 1,
    as_of: date,
    slug: str = "demo",
    admin_email: str = ADMIN_EMAIL,
    admin_password: str | None = None,
    progress: bool = False,
    today: date | None = None,
) -> DemoResult:
    """Create the demo firm `slug`; refuse when a firm with that slug exists."""
    if size not in SIZES:
        raise ValidationFailed(f"unknown size {size!r} (choose from {', '.join(SIZES)})", field="size")
    # The services refuse work dated in the future, so the demo does too.
    if as_of > (today or demo_today()):
        raise ValidationFailed(f"--as-of {as_of.isoformat()} is in the future", field="as_of")
    if Firm.objects.filter(slug=slug).exists():
        raise Conflict(f"a firm with slug '{slug}' already exists; the demo firm is created only once "
                       "(use --if-empty to skip when the database has a firm)")
    started = time.perf_counter()
    plan = plan_firm(SIZES[size], seed, as_of)
    password = admin_password or secrets.token_urlsafe(12)
    with service_transaction():
        firm = firm_create(name=plan.name, slug=slug, currency="USD", timezone=FIRM_TIMEZONE,
                           address_line1=plan.address.line1,
                           address_line2=plan.address.line2, city=plan.address.city, region=plan.address.region,
                           postcode=plan.address.postcode, country=plan.address.country)
        with firm_scope(firm):
            FirmEbillingSettings.objects.create(firm=firm, ledes_law_firm_id=plan.ledes_law_firm_id)
            admin, _ = user_add(firm=firm, email=admin_email, role=Role.ADMIN, password=password)
            for email, role in STAFF_LOGINS:
                user_add(firm=firm, email=email, role=role, password=password)
            users = _users(plan, firm, admin.password)
            logins = [{"email": admin_email, "role": Role.ADMIN.value, "name": "admin"},
                      *({"email": email, "role": role.value, "name": role.label} for email, role in STAFF_LOGINS),
                      *({"email": u.email, "role": Role.ATTORNEY.value, "name": u.get_full_name()}
                        for u in users if u is not None)]
            timekeepers = _timekeepers(plan, firm, users)
            clients = _clients(plan, firm)
            matters = _matters(plan, firm, clients, timekeepers)
            rates = _rates(plan, firm, timekeepers, clients, matters)
            MatterPayor.objects.bulk_create([
                MatterPayor(firm=firm, matter=matters[p.matter], client=clients[p.client], share_bp=p.share_bp,
                            client_matter_id=p.client_matter_id) for p in plan.payors])
            entries, expenses = _activity(plan, firm, timekeepers, matters, users, progress=progress)
            counts = {
                "timekeepers": len(timekeepers), "users": len(logins),
                "clients": len(clients), "contacts": sum(len(c.contacts) for c in plan.clients),
                "matters": len(matters), "closed_matters": sum(1 for m in plan.matters if m.closed_on),
                "rates": rates, "time_entries": entries, "expenses": expenses,
                "split_matters": len({p.matter for p in plan.payors}),
            }
            audit_record(firm=firm, actor=None, action="demo.create", entity="firm", entity_id=firm.pk,
                         after={"size": size, "seed": seed, "as_of": as_of.isoformat(), "counts": counts})
            sample = next(m for m in matters if m.status == MatterStatus.OPEN)
    refresh_planner_statistics()
    return DemoResult(firm=firm, size=size, seed=seed, as_of=as_of, admin_email=admin_email, admin_password=password,
                      counts=counts, seconds=time.perf_counter() - started,
                      sample_timekeeper=sample.billing_attorney.initials, sample_matter=sample.number,
                      logins=logins)


def refresh_planner_statistics() -> None:
    """After a bulk load the query planner still believes the tables are empty: on PostgreSQL the time grid
    of the medium firm took 99 ms (a sort of every entry) before ANALYZE and 2 ms after (an index scan)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def demo_today() -> date:
    """Today in the demo firm's zone, the zone in which the services judge a date to be in the future."""
    return timezone.localdate(timezone=ZoneInfo(FIRM_TIMEZONE))


def _users(plan: FirmPlan, firm: Firm, password_hash: str) -> list[Any]:
    """Attorney logins for some timekeepers; they share the admin's password (it is a demo)."""
    User = get_user_model()
    wanted = [tk.email for tk in plan.timekeepers if tk.email]
    existing = {u.username: u for u in User.objects.filter(username__in=wanted)}
    new = [
        User(username=tk.email, email=tk.email, first_name=tk.person.first_name, last_name=tk.person.last_name,
             password=password_hash or make_password(None))
        for tk in plan.timekeepers if tk.email and tk.email not in existing
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    by_email = {**existing, **{u.username: u for u in User.objects.filter(username__in=[u.username for u in new])}}
    Membership.objects.bulk_create(
        [Membership(firm=firm, user=by_email[email], role=Role.ATTORNEY) for email in wanted], batch_size=BATCH
    )
    return [by_email.get(tk.email) for tk in plan.timekeepers]


def _timekeepers(plan: FirmPlan, firm: Firm, users: list[Any]) -> list[Timekeeper]:
    rows = [
        Timekeeper(firm=firm, user=user, initials=tk.initials, first_name=tk.person.first_name,
                   last_name=tk.person.last_name, title=tk.title, classification=tk.classification,
                   standard_rate_minor=tk.rate_by_year[plan.as_of.year])
        for tk, user in zip(plan.timekeepers, users, strict=True)
    ]
    return Timekeeper.objects.bulk_create(rows, batch_size=BATCH)


def _clients(plan: FirmPlan, firm: Firm) -> list[Client]:
    rows = [
        Client(firm=firm, code=c.code, name=c.name, address_line1=c.address.line1, address_line2=c.address.line2,
               city=c.address.city, region=c.address.region, postcode=c.address.postcode,
               country=c.address.country, currency=c.currency, payment_terms_days=c.payment_terms_days,
               is_consolidated_billing=c.is_consolidated_billing, notes=c.notes)
        for c in plan.clients
    ]
    clients = Client.objects.bulk_create(rows, batch_size=BATCH)
    ClientEbillingSettings.objects.bulk_create(
        [ClientEbillingSettings(firm=firm, client=client, ledes_client_id=c.ledes_client_id)
         for client, c in zip(clients, plan.clients, strict=True) if c.ledes_client_id],
        batch_size=BATCH,
    )
    ClientContact.objects.bulk_create(
        [ClientContact(firm=firm, client=client, name=p.name, email=p.email, phone=p.phone, role=p.role,
                       is_billing_contact=p.is_billing_contact)
         for client, c in zip(clients, plan.clients, strict=True) for p in c.contacts],
        batch_size=BATCH,
    )
    return clients


def _matters(plan: FirmPlan, firm: Firm, clients: list[Client], tks: list[Timekeeper]) -> list[Matter]:
    rows = [
        Matter(firm=firm, client=clients[m.client], number=m.number, name=m.name, client_matter_id=m.client_matter_id,
               description=m.description, billing_attorney=tks[m.billing], responsible_attorney=tks[m.responsible],
               originating_attorney=tks[m.originating],
               status=MatterStatus.CLOSED if m.closed_on else MatterStatus.OPEN, opened_on=m.opened_on,
               closed_on=m.closed_on, currency=m.currency, fee_arrangement=m.fee_arrangement,
               fee_amount_minor=m.fee_amount_minor, fee_percent_bp=m.fee_percent_bp, budget_minor=m.budget_minor)
        for m in plan.matters
    ]
    return Matter.objects.bulk_create(rows, batch_size=BATCH)


def _rates(plan: FirmPlan, firm: Firm, tks: list[Timekeeper], clients: list[Client], matters: list[Matter]) -> int:
    rows = [
        Rate(firm=firm, timekeeper=tks[r.timekeeper] if r.timekeeper is not None else None,
             classification=r.classification, client=clients[r.client] if r.client is not None else None,
             matter=matters[r.matter] if r.matter is not None else None, effective_on=r.effective_on,
             rate_minor=r.rate_minor, currency=r.currency, note=r.note)
        for r in plan.rates
    ]
    return len(Rate.objects.bulk_create(rows, batch_size=BATCH))


def _activity(plan: FirmPlan, firm: Firm, tks: list[Timekeeper], matters: list[Matter], users: list[Any],
              *, progress: bool) -> tuple[int, int]:
    keys = Keys(
        firm=firm.pk, timekeepers=[t.pk for t in tks], matters=[m.pk for m in matters],
        users=[u.pk if u is not None else None for u in users],
        now=connection.ops.adapt_datetimefield_value(timezone.now()),
        adapt_date=connection.ops.adapt_datefield_value,
    )
    activity = Activity(plan, keys)
    days = activity.days()
    time_writer, expense_writer = RowWriter(TimeEntry, TIME_COLUMNS), RowWriter(Expense, EXPENSE_COLUMNS)
    entry_rows: list[tuple[Any, ...]] = []
    expense_rows: list[tuple[Any, ...]] = []
    bar = tqdm(total=len(days), unit="day", desc="time entries", file=sys.stderr, disable=not progress,
               mininterval=0.5, dynamic_ncols=True)
    with bar, bulk_load_settings():
        for day in days:
            entries, expenses = activity.day(day)
            entry_rows += entries
            expense_rows += expenses
            if len(entry_rows) >= CHUNK:
                time_writer.write(entry_rows)
                entry_rows = []
                bar.set_postfix(entries=f"{time_writer.count:,}", refresh=False)
            if len(expense_rows) >= CHUNK:
                expense_writer.write(expense_rows)
                expense_rows = []
            bar.update(1)
        time_writer.write(entry_rows)
        expense_writer.write(expense_rows)
        bar.set_postfix(entries=f"{time_writer.count:,}")
    return time_writer.count, expense_writer.count
