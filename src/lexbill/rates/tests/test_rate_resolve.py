"""rate_resolve against the database: the rows each level reads, and rows that must never apply."""

from datetime import date

import pytest

from lexbill.core.errors import RateNotFound, ValidationFailed
from lexbill.rates.domain import RateLevel
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create, rate_resolve
from lexbill.testing import factories

ON = date(2026, 6, 15)


@pytest.fixture
def other_matter(firm, client_acme, partner):
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")


@pytest.fixture
def other_client_matter(firm, partner):
    return factories.make_matter(firm, billing_attorney=partner, number="ZED-001")


def add(firm, **fields):
    fields.setdefault("effective_on", date(2026, 1, 1))
    return rate_create(firm=firm, actor=None, **fields)


def test_standard_rate_when_nothing_else(firm, matter, associate):
    resolved = rate_resolve(matter=matter, timekeeper=associate, worked_on=ON)
    assert (resolved.rate_minor, resolved.level) == (30000, RateLevel.TIMEKEEPER_STANDARD)


def test_full_precedence_ladder(firm, matter, associate):
    """Add rates from the lowest level up; each new one takes over."""
    ladder = [
        (dict(timekeeper=associate), 31000, RateLevel.TIMEKEEPER_DATED),
        (dict(classification="AS", client=matter.client), 32000, RateLevel.CLIENT_CLASSIFICATION),
        (dict(classification="AS", matter=matter), 33000, RateLevel.MATTER_CLASSIFICATION),
        (dict(timekeeper=associate, client=matter.client), 34000, RateLevel.CLIENT_TIMEKEEPER),
        (dict(timekeeper=associate, matter=matter), 35000, RateLevel.MATTER_TIMEKEEPER),
    ]
    for keys, rate, level in ladder:
        add(firm, rate_minor=rate, **keys)
        resolved = rate_resolve(matter=matter, timekeeper=associate, worked_on=ON)
        assert (resolved.rate_minor, resolved.level) == (rate, level)


def test_rates_of_other_matters_clients_classifications_and_timekeepers_do_not_apply(
    firm, matter, associate, partner, other_matter, other_client_matter
):
    add(firm, timekeeper=associate, matter=other_matter, rate_minor=90000)
    add(firm, timekeeper=associate, client=other_client_matter.client, rate_minor=91000)
    add(firm, classification="AS", matter=other_matter, rate_minor=92000)
    add(firm, classification="PT", matter=matter, rate_minor=93000)  # partner class, not associate
    add(firm, timekeeper=partner, matter=matter, rate_minor=94000)
    resolved = rate_resolve(matter=matter, timekeeper=associate, worked_on=ON)
    assert resolved.rate_minor == 30000


def test_client_rate_applies_to_every_matter_of_the_client(firm, matter, associate, other_matter):
    add(firm, timekeeper=associate, client=matter.client, rate_minor=36000)
    assert rate_resolve(matter=other_matter, timekeeper=associate, worked_on=ON).rate_minor == 36000


def test_effective_dates_across_a_rate_increase(firm, matter, associate):
    add(firm, timekeeper=associate, matter=matter, rate_minor=35000, effective_on=date(2025, 1, 1))
    add(firm, timekeeper=associate, matter=matter, rate_minor=38000, effective_on=date(2026, 1, 1))
    assert rate_resolve(matter=matter, timekeeper=associate, worked_on=date(2025, 12, 31)).rate_minor == 35000
    assert rate_resolve(matter=matter, timekeeper=associate, worked_on=date(2026, 1, 1)).rate_minor == 38000
    # before any dated rate the lower levels (here the standard rate) apply
    assert rate_resolve(matter=matter, timekeeper=associate, worked_on=date(2024, 12, 31)).rate_minor == 30000


def test_matter_in_another_currency_needs_its_own_rate(firm, associate, partner):
    euro_client = factories.make_client(firm, code="EURO", currency="EUR")
    euro_matter = factories.make_matter(firm, client=euro_client, billing_attorney=partner, number="EURO-1")
    with pytest.raises(RateNotFound, match="JD on matter EURO-1: no EUR rate"):
        rate_resolve(matter=euro_matter, timekeeper=associate, worked_on=ON)
    add(firm, classification="AS", client=euro_client, rate_minor=28000)
    resolved = rate_resolve(matter=euro_matter, timekeeper=associate, worked_on=ON)
    assert (resolved.rate_minor, resolved.currency) == (28000, "EUR")


def test_resolution_is_one_query(firm, matter, associate, django_assert_num_queries):
    add(firm, timekeeper=associate, matter=matter, rate_minor=35000)
    with django_assert_num_queries(1):
        rate_resolve(matter=matter, timekeeper=associate, worked_on=ON)


@pytest.mark.parametrize(
    "build",
    [
        lambda m, tk: {},  # neither timekeeper nor classification
        lambda m, tk: {"classification": "AS"},  # a class rate needs a client or a matter
        lambda m, tk: {"classification": "AS", "timekeeper": tk, "matter": m},  # both kinds at once
        lambda m, tk: {"timekeeper": tk, "client": m.client, "matter": m},  # client and matter at once
    ],
    ids=["no-who", "class-without-where", "class-and-timekeeper", "client-and-matter"],
)
def test_malformed_rates_are_refused_and_nothing_is_written(firm, matter, associate, build):
    with pytest.raises(ValidationFailed):
        add(firm, rate_minor=1000, **build(matter, associate))
    assert Rate.objects.count() == 0


def test_negative_rate_is_refused(firm, associate):
    with pytest.raises(ValidationFailed):
        add(firm, timekeeper=associate, rate_minor=-1)
    assert Rate.objects.count() == 0
