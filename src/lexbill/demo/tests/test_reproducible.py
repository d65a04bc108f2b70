"""Same seed and as-of date give the same firm; another seed or date gives another."""

import hashlib
from datetime import date

import pytest

from lexbill.clients.models import Client, Matter
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.tenancy import firm_scope
from lexbill.demo.digest import firm_digest
from lexbill.demo.generator import demo_create
from lexbill.timekeeping.models import TimeEntry


def _digest(slug, seed, as_of):
    result = demo_create(size="small", seed=seed, as_of=as_of, slug=slug, admin_email="admin@demo.lexbill.test",
                         admin_password="pw-123456")
    with firm_scope(result.firm):
        return firm_digest(result.firm)


@pytest.mark.django_db
def test_same_seed_and_as_of_give_identical_content():
    first = _digest("demo", 3, date(2026, 6, 30))
    second = _digest("demo-again", 3, date(2026, 6, 30))
    assert first == second
    assert len(first) == 10


@pytest.mark.django_db
def test_another_seed_or_as_of_gives_other_content():
    base = _digest("demo", 3, date(2026, 6, 30))
    other_seed = _digest("demo-seed", 4, date(2026, 6, 30))
    other_day = _digest("demo-day", 3, date(2026, 7, 31))
    for table in ("staff.Timekeeper", "clients.Matter", "timekeeping.TimeEntry", "timekeeping.Expense"):
        assert base[table] != other_seed[table]
        assert base[table] != other_day[table]


@pytest.mark.django_db
def test_an_existing_demo_firm_is_refused_and_left_alone():
    demo_create(size="small", seed=1, as_of=date(2026, 6, 30))
    firm = Firm.objects.get(slug="demo")
    with firm_scope(firm):
        before = (Client.objects.count(), Matter.objects.count(), TimeEntry.objects.count())
    with pytest.raises(Conflict, match="a firm with slug 'demo' already exists"):
        demo_create(size="small", seed=2, as_of=date(2026, 6, 30))
    assert list(Firm.objects.values_list("slug", flat=True)) == ["demo"]
    with firm_scope(firm):
        assert (Client.objects.count(), Matter.objects.count(), TimeEntry.objects.count()) == before


@pytest.mark.django_db
def test_an_unknown_size_is_refused_before_anything_is_written():
    with pytest.raises(ValidationFailed, match="unknown size 'huge'"):
        demo_create(size="huge", as_of=date(2026, 6, 30))
    assert not Firm.objects.exists()


@pytest.mark.django_db
def test_an_as_of_date_in_the_future_is_refused():
    with pytest.raises(ValidationFailed, match="--as-of 2026-07-01 is in the future"):
        demo_create(as_of=date(2026, 7, 1), today=date(2026, 6, 30))
    assert not Firm.objects.exists()


# The small firm of seed 7 up to 2026-06-30 (the `demo` fixture), read back from SQLite and PostgreSQL
# alike. It changes when the generator or these tables change on purpose: then print the new value and update it.
GOLDEN = "bce2acfc4ae7b71681cc209fd573b5ff3161129f0f9bb2c53caf7380593ae859"  # + Matter.retainer_first/last_month


def test_the_seed_gives_the_same_firm_on_every_database(demo):
    digests = firm_digest(demo.firm)
    combined = hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(digests.items())).encode()).hexdigest()
    assert combined == GOLDEN
