"""The demo firm as plain data: people, clients, matters and rates, drawn from one seed before any write.

Everything here is pure (no ORM, no clock): `plan_firm(size, seed, as_of)` always returns the same plan
for the same arguments. Money is integer minor units; rates move in whole $5 steps with integer arithmetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import names
from .narratives import MatterStory, matter_story
from .workdays import is_working_day, months_back

EMAIL_DOMAIN = "demo.lexbill.test"


@dataclass(frozen=True)
class Size:
    name: str
    staff: dict[str, int]  # LEDES classification -> headcount
    clients: int
    matters: int
    months: int
    users: int  # timekeepers who also get an attorney login
    entries_a_day: tuple[int, ...]  # draw one: how many entries a timekeeper records on a working day


SIZES = {
    "small": Size("small", {"PT": 3, "OC": 1, "AS": 3, "LA": 1}, 20, 40, 3, 4, (2, 3, 3, 4, 4, 5, 6)),
    "medium": Size("medium", {"PT": 14, "OC": 4, "AS": 22, "LA": 8, "OT": 2}, 300, 800, 12, 15,
                   (2, 3, 3, 4, 4, 5, 6)),
    "large": Size("large", {"PT": 280, "OC": 70, "AS": 450, "LA": 170, "OT": 30}, 2_500, 10_000, 24, 60,
                  (3, 4, 4, 5, 5, 6, 6, 7, 8)),
}

TITLES = {  # (title, senior title)
    "PT": ("Partner", "Senior Partner"), "OC": ("Of Counsel", "Senior Counsel"),
    "AS": ("Associate", "Senior Associate"), "LA": ("Paralegal", "Senior Paralegal"),
    "OT": ("Law Clerk", "Litigation Support Analyst"),
}
# Standard hourly rates in whole dollars (low, high, step) for the as-of year.
STANDARD_RATES = {"PT": (725, 1250, 25), "OC": (625, 925, 25), "AS": (395, 795, 5), "LA": (195, 345, 5),
                  "OT": (150, 250, 5)}
# Panel (classification) rates per currency, whole units, for clients that negotiate by classification.
PANEL_RATES = {
    "USD": {"PT": 495, "OC": 425, "AS": 325, "LA": 165, "OT": 135},
    "EUR": {"PT": 620, "OC": 540, "AS": 410, "LA": 190, "OT": 160},
    "GBP": {"PT": 575, "OC": 495, "AS": 365, "LA": 175, "OT": 145},
}
FEE_ARRANGEMENTS = (("hourly", 74), ("flat", 5), ("capped", 6), ("contingency", 4), ("retainer", 4), ("blended", 7))


@dataclass
class TimekeeperPlan:
    person: names.Person
    initials: str
    classification: str
    title: str
    rate_by_year: dict[int, int]  # minor units, effective 1 January of the year
    email: str = ""  # set when the timekeeper has an attorney login
    group: str = ""  # "P", "A" or "L": who does which work (see narratives.Work.who)


@dataclass
class ContactPlan:
    name: str
    email: str
    phone: str
    role: str
    is_billing_contact: bool


@dataclass
class ClientPlan:
    code: str
    name: str
    short: str
    address: names.Address
    currency: str
    payment_terms_days: int
    ledes_client_id: str
    is_consolidated_billing: bool
    notes: str
    contacts: list[ContactPlan]
    is_panel: bool  # negotiated classification rates


@dataclass
class MatterPlan:
    client: int  # index into clients
    number: str
    name: str
    client_matter_id: str
    description: str
    billing: int  # indexes into timekeepers
    responsible: int
    originating: int
    team: list[tuple[int, int]]  # (timekeeper, weight) of who works on it
    opened_on: date
    closed_on: date | None
    currency: str
    fee_arrangement: str
    fee_amount_minor: int | None
    fee_percent_bp: int | None
    budget_minor: int | None
    lifetime_days: int
    story: MatterStory


@dataclass
class RatePlan:
    timekeeper: int | None
    classification: str
    client: int | None
    matter: int | None
    effective_on: date
    rate_minor: int
    currency: str
    note: str


@dataclass
class PayorPlan:
    """Split billing: an hourly matter shared between its client and a co-payor (an insurer, a co-defendant)."""

    matter: int  # index into matters
    client: int  # index into clients
    share_bp: int
    client_matter_id: str


@dataclass
class FirmPlan:
    size: Size
    seed: int
    as_of: date
    start: date  # first day of work
    name: str
    address: names.Address
    ledes_law_firm_id: str
    timekeepers: list[TimekeeperPlan] = field(default_factory=list)
    clients: list[ClientPlan] = field(default_factory=list)
    matters: list[MatterPlan] = field(default_factory=list)
    rates: list[RatePlan] = field(default_factory=list)
    payors: list[PayorPlan] = field(default_factory=list)


def rng_for(seed: int, as_of: date, purpose: str) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`, so streams are stable across runs and platforms.
    return random.Random(f"lexbill-demo:{seed}:{as_of.isoformat()}:{purpose}")


def _round_to(value_minor: int, step_minor: int) -> int:
    return max(step_minor, (value_minor + step_minor // 2) // step_minor * step_minor)


def earlier_rate(rate_minor: int, increase_pct: int) -> int:
    """Last year's rate, given this year's and the increase: rate / (1 + pct), to the nearest $5."""
    return _round_to(rate_minor * 100 // (100 + increase_pct), 500)


def _years(plan: FirmPlan) -> range:
    # One year of history before the first day of work, so the first 1 January increase is visible.
    return range(plan.start.year - 1, plan.as_of.year + 1)


def plan_firm(size: Size, seed: int, as_of: date) -> FirmPlan:
    rng = rng_for(seed, as_of, "firm")
    city, state, zip3 = rng.choice(names.US_PLACES[:1])
    plan = FirmPlan(
        size=size, seed=seed, as_of=as_of, start=months_back(as_of, size.months), name=names.firm_name(rng),
        # The draws keep their order (street number, floor, ZIP): the rest of the firm follows from them.
        address=names.Address(f"{rng.randint(100, 1500)} Avenue of the Americas", f"Floor {rng.randint(12, 48)}",
                              city, state, f"{zip3}{rng.randint(10, 99)}", "US"),
        ledes_law_firm_id=f"{rng.randint(10, 99)}-{rng.randint(1_000_000, 9_999_999)}",
    )
    _plan_timekeepers(plan, rng_for(seed, as_of, "timekeepers"))
    _plan_clients(plan, rng_for(seed, as_of, "clients"))
    _plan_matters(plan, rng_for(seed, as_of, "matters"))
    _plan_rates(plan, rng_for(seed, as_of, "rates"))
    _plan_payors(plan, rng_for(seed, as_of, "payors"))
    return plan


def _plan_timekeepers(plan: FirmPlan, rng: random.Random) -> None:
    taken: set[str] = set()
    emails: set[str] = set()
    for classification, count in plan.size.staff.items():
        for _ in range(count):
            person = names.person(rng)
            low, high, step = STANDARD_RATES[classification]
            current = rng.randrange(low, high + 1, step) * 100
            increase = rng.randint(3, 7)
            rates = {plan.as_of.year: current}
            for year in range(plan.as_of.year - 1, plan.start.year - 2, -1):
                rates[year] = earlier_rate(rates[year + 1], increase)
            plan.timekeepers.append(TimekeeperPlan(
                person=person, initials=names.initials_for(person, taken), classification=classification,
                title=TITLES[classification][0], rate_by_year=rates,
                group={"PT": "P", "OC": "P", "AS": "A"}.get(classification, "L"),
            ))
    rng.shuffle(plan.timekeepers)
    plan.timekeepers.sort(key=lambda t: "PT OC AS LA OT".index(t.classification))
    for tk in plan.timekeepers:
        # Seniority shows in the rate, so the title follows it.
        rate = tk.rate_by_year[plan.as_of.year]
        senior = {"PT": 110_000, "OC": 85_000, "AS": 60_000, "LA": 29_000, "OT": 22_500}[tk.classification]
        tk.title = TITLES[tk.classification][1 if rate >= senior else 0]
    max(plan.timekeepers, key=lambda t: t.rate_by_year[plan.as_of.year]).title = "Managing Partner"
    attorneys = [t for t in plan.timekeepers if t.classification in {"PT", "OC", "AS"}]
    for tk in rng.sample(attorneys, min(plan.size.users, len(attorneys))):
        local = names.ascii_slug(f"{tk.person.first_name} {tk.person.last_name}", ".")
        email, n = f"{local}@{EMAIL_DOMAIN}", 2
        while email in emails:
            email, n = f"{local}{n}@{EMAIL_DOMAIN}", n + 1
        emails.add(email)
        tk.email = email


def _client_currency(rng: random.Random) -> tuple[str, names.Address]:
    roll = rng.randrange(100)
    if roll < 7:
        return "EUR", names.foreign_address(rng, names.EU_PLACES)
    if roll < 11:
        return "GBP", names.foreign_address(rng, names.UK_PLACES)
    return "USD", names.us_address(rng)


def _plan_clients(plan: FirmPlan, rng: random.Random) -> None:
    seen: set[str] = set()
    for index in range(plan.size.clients):
        currency, address = _client_currency(rng)
        name, short = names.company_name(rng, address.country)
        while name in seen:
            name, short = names.company_name(rng, address.country)
        seen.add(name)
        domain = names.ascii_slug(short) + ".example"
        contacts = []
        gc = names.person(rng)
        contacts.append(ContactPlan(gc.full_name, f"{names.ascii_slug(gc.first_name)}."
                                    f"{names.ascii_slug(gc.last_name)}@{domain}", _phone(rng, address.country),
                                    rng.choice(("General Counsel", "Deputy General Counsel", "Litigation Manager",
                                                "Claims Manager", "Senior Legal Counsel")), False))
        ap = names.person(rng)
        contacts.append(ContactPlan(f"{ap.full_name}", f"ap@{domain}", _phone(rng, address.country),
                                    "Accounts Payable", True))
        ledes = ""
        if rng.randrange(100) < 35:
            ledes = f"{names.ascii_slug(short)[:6].upper()}{rng.randint(100, 999)}"
        plan.clients.append(ClientPlan(
            code=f"{10001 + index}", name=name, short=short, address=address, currency=currency,
            payment_terms_days=rng.choice((30, 30, 30, 30, 45, 60, 15)), ledes_client_id=ledes,
            is_consolidated_billing=rng.randrange(100) < 10,
            notes="Submit invoices as LEDES 1998B through the client's e-billing portal." if ledes else "",
            contacts=contacts, is_panel=currency != "USD" or rng.randrange(100) < 12,
        ))


def _phone(rng: random.Random, country: str) -> str:
    if country == "GB":
        return f"+44 20 7946 0{rng.randint(100, 999)}"  # Ofcom's range reserved for drama
    if country != "US":
        return ""
    return f"+1 {rng.choice(('212', '312', '415', '617', '713', '202'))}-555-01{rng.randint(0, 99):02d}"


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _plan_matters(plan: FirmPlan, rng: random.Random) -> None:
    partners = [i for i, t in enumerate(plan.timekeepers) if t.classification == "PT"]
    seniors = [i for i, t in enumerate(plan.timekeepers) if t.classification in {"PT", "OC"}]
    associates = [i for i, t in enumerate(plan.timekeepers) if t.classification == "AS"]
    support = [i for i, t in enumerate(plan.timekeepers) if t.classification in {"LA", "OT"}]
    n_clients = len(plan.clients)
    # A few large clients bring most matters; every client has at least one.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(n_clients)]
    owners = list(range(n_clients)) + rng.choices(range(n_clients), weights=weights, k=plan.size.matters - n_clients)
    owners.sort()
    per_client: dict[int, int] = {}
    # The client's relationship partner bills most of its matters.
    relationship = {c: rng.choice(partners) for c in range(n_clients)}
    days_of_work = (plan.as_of - plan.start).days
    load = [0] * len(plan.timekeepers)
    for owner in owners:
        client = plan.clients[owner]
        per_client[owner] = per_client.get(owner, 0) + 1
        contact = client.contacts[0].name
        story = matter_story(rng, client_short=client.short, contact=contact)
        if rng.randrange(100) < 75:
            opened = plan.start - timedelta(days=rng.randint(1, 900))
        else:
            opened = plan.start + timedelta(days=rng.randint(0, max(0, days_of_work - 10)))
        opened = _working_day_on_or_before(min(opened, plan.as_of))
        closed = None
        first_close = max(opened, plan.start) + timedelta(days=20)
        if rng.randrange(100) < 8 and first_close < plan.as_of:
            closed = first_close + timedelta(days=rng.randint(0, (plan.as_of - first_close).days - 1))
        billing = relationship[owner] if rng.randrange(100) < 70 else rng.choice(partners)
        responsible = billing if rng.randrange(100) < 50 else rng.choice(seniors)
        originating = billing if rng.randrange(100) < 60 else rng.choice(partners)
        team = {billing: 3, responsible: 4}
        # The least-loaded of a few candidates joins, so nobody sits idle in a large firm.
        for pool, count, weight in ((associates, rng.randint(1, 3), 8), (support, rng.randint(0, 1), 5)):
            for _ in range(count):
                if pool:
                    pick = min(rng.sample(pool, min(3, len(pool))), key=lambda i: load[i])
                    team[pick] = weight
        for member in team:
            load[member] += 1
        fee, amount, percent = _fee(rng)
        currency = client.currency
        budget = rng.randrange(25_000, 750_001, 5_000) * 100 if rng.randrange(100) < 40 else None
        plan.matters.append(MatterPlan(
            client=owner, number=f"{client.code}.{per_client[owner]:03d}", name=story.name,
            client_matter_id=_client_matter_id(rng, client, opened),
            description=f"Representation of {client.short} in {story.name}, pending in {story.values['court']}.",
            billing=billing, responsible=responsible, originating=originating, team=sorted(team.items()),
            opened_on=opened, closed_on=closed, currency=currency, fee_arrangement=fee, fee_amount_minor=amount,
            fee_percent_bp=percent, budget_minor=budget, lifetime_days=rng.randint(300, 1100), story=story,
        ))
    _give_everyone_work(plan, rng, load)


def _give_everyone_work(plan: FirmPlan, rng: random.Random, load: list[int]) -> None:
    for tk, count in enumerate(load):
        while count < 3:
            matter = rng.choice(plan.matters)
            if all(member != tk for member, _ in matter.team):
                matter.team = sorted([*matter.team, (tk, 4)])
            count += 1


def _fee(rng: random.Random) -> tuple[str, int | None, int | None]:
    fee = rng.choices([f for f, _ in FEE_ARRANGEMENTS], weights=[w for _, w in FEE_ARRANGEMENTS])[0]
    if fee == "flat":
        return fee, rng.randrange(15_000, 120_001, 2_500) * 100, None
    if fee == "capped":
        return fee, rng.randrange(50_000, 400_001, 10_000) * 100, None
    if fee == "contingency":
        return fee, None, rng.choice((2500, 3000, 3333, 4000))
    if fee == "retainer":
        return fee, rng.randrange(5_000, 30_001, 1_000) * 100, None
    if fee == "blended":
        return fee, rng.randrange(425, 726, 25) * 100, None
    return fee, None, None


def _client_matter_id(rng: random.Random, client: ClientPlan, opened: date) -> str:
    if not client.ledes_client_id and rng.randrange(100) < 40:
        return ""
    style = int(client.code) % 4
    if style == 0:
        return f"LIT-{opened.year}-{rng.randint(1, 9999):04d}"
    if style == 1:
        return f"CLM-{rng.randint(1_000_000, 9_999_999)}"
    if style == 2:
        return f"PO 4500{rng.randint(100_000, 999_999)}"
    return f"{client.ledes_client_id or client.code}-{rng.randint(10_000, 99_999)}"


SPLITS = ((5000, 5000), (6000, 4000), (7000, 3000), (7500, 2500))


def _plan_payors(plan: FirmPlan, rng: random.Random) -> None:
    """About one open hourly matter in 25 is split with another client of the same currency (its own stream,
    so the rest of the firm is unchanged by it)."""
    for index, matter in enumerate(plan.matters):
        if matter.fee_arrangement != "hourly" or matter.closed_on or rng.randrange(25):
            continue
        others = [c for c, client in enumerate(plan.clients)
                  if c != matter.client and client.currency == matter.currency]
        if not others:
            continue
        co_payor = rng.choice(others)
        theirs, ours = rng.choice(SPLITS)
        plan.payors.append(PayorPlan(index, co_payor, theirs, f"CLM-{rng.randint(100_000, 999_999)}"))
        plan.payors.append(PayorPlan(index, matter.client, ours, ""))


def _plan_rates(plan: FirmPlan, rng: random.Random) -> None:
    for tk_index, tk in enumerate(plan.timekeepers):
        for year in _years(plan):
            plan.rates.append(RatePlan(tk_index, "", None, None, date(year, 1, 1), tk.rate_by_year[year], "USD",
                                       f"{year} standard rate"))
    for c_index, client in enumerate(plan.clients):
        if client.is_panel:
            increase = 0 if client.currency == "USD" else rng.randint(2, 5)
            for classification, whole in PANEL_RATES[client.currency].items():
                rate = whole * 100
                for year in reversed(_years(plan)):
                    plan.rates.append(RatePlan(None, classification, c_index, None, date(year, 1, 1), rate,
                                               client.currency, f"{year} panel rate"))
                    rate = earlier_rate(rate, increase) if increase else rate
        elif rng.randrange(100) < 12:
            # A negotiated discount for the client's billing partners, renewed with each 1 January increase.
            partners = sorted({m.billing for m in plan.matters if m.client == c_index})
            for tk_index in partners[:2]:
                for year in _years(plan):
                    discounted = _round_to(plan.timekeepers[tk_index].rate_by_year[year] * 90 // 100, 500)
                    plan.rates.append(RatePlan(tk_index, "", c_index, None, date(year, 1, 1), discounted, "USD",
                                               f"{year} relationship rate (10% discount)"))
    for m_index, matter in enumerate(plan.matters):
        if matter.currency != "USD" or plan.clients[matter.client].is_panel:
            continue
        roll = rng.randrange(100)
        effective = max(matter.opened_on, plan.start - timedelta(days=365))
        if roll < 5:
            lead = matter.responsible
            agreed = _round_to(plan.timekeepers[lead].rate_by_year[plan.as_of.year] * 85 // 100, 2500)
            plan.rates.append(RatePlan(lead, "", None, m_index, effective, agreed, "USD",
                                       "agreed rate for this matter"))
        elif roll < 8:
            for classification, whole in (("AS", rng.randrange(350, 451, 25)), ("LA", rng.randrange(150, 201, 25))):
                plan.rates.append(RatePlan(None, classification, None, m_index, effective, whole * 100, "USD",
                                           "matter rate by classification"))
