"""The pure precedence function, exhaustively: every level beats every level below it."""

from datetime import date
from itertools import combinations

import pytest

from lexbill.core.errors import RateNotFound
from lexbill.rates.domain import RateCandidate, RateLevel, classify, resolve_rate

ON = date(2026, 6, 15)


def cand(level: RateLevel, rate: int, effective: date = date(2026, 1, 1), currency: str = "USD", rid: int = 0):
    return RateCandidate(level=level, effective_on=effective, rate_minor=rate, currency=currency,
                         rate_id=rid or rate)


DATED_LEVELS = [lv for lv in RateLevel if lv != RateLevel.TIMEKEEPER_STANDARD]


@pytest.mark.parametrize(("higher", "lower"), list(combinations(DATED_LEVELS, 2)))
def test_each_level_beats_every_lower_level(higher, lower):
    resolved = resolve_rate([cand(lower, 111), cand(higher, 999)], worked_on=ON, currency="USD",
                            standard_rate_minor=5, standard_currency="USD")
    assert (resolved.level, resolved.rate_minor) == (higher, 999)


@pytest.mark.parametrize("level", DATED_LEVELS)
def test_any_dated_rate_beats_the_standard_rate_field(level):
    resolved = resolve_rate([cand(level, 42000)], worked_on=ON, currency="USD", standard_rate_minor=30000,
                            standard_currency="USD")
    assert resolved.rate_minor == 42000


def test_a_higher_level_wins_even_when_older():
    resolved = resolve_rate(
        [cand(RateLevel.MATTER_TIMEKEEPER, 40000, date(2020, 1, 1)),
         cand(RateLevel.CLIENT_TIMEKEEPER, 45000, date(2026, 6, 1))],
        worked_on=ON, currency="USD", standard_rate_minor=None, standard_currency="USD")
    assert resolved.rate_minor == 40000


def test_within_a_level_the_latest_effective_rate_on_or_before_the_date_wins():
    rows = [cand(RateLevel.CLIENT_TIMEKEEPER, 40000, date(2025, 1, 1)),
            cand(RateLevel.CLIENT_TIMEKEEPER, 42000, date(2026, 1, 1)),
            cand(RateLevel.CLIENT_TIMEKEEPER, 45000, date(2026, 6, 16))]
    assert resolve_rate(rows, worked_on=ON, currency="USD", standard_rate_minor=None,
                        standard_currency="USD").rate_minor == 42000
    # the rate effective on the very day applies that day
    assert resolve_rate(rows, worked_on=date(2026, 6, 16), currency="USD", standard_rate_minor=None,
                        standard_currency="USD").rate_minor == 45000
    # the day before a rate starts, the earlier one still applies
    assert resolve_rate(rows, worked_on=date(2025, 12, 31), currency="USD", standard_rate_minor=None,
                        standard_currency="USD").rate_minor == 40000


def test_a_future_rate_at_a_higher_level_does_not_apply_yet():
    rows = [cand(RateLevel.MATTER_TIMEKEEPER, 50000, date(2026, 7, 1)),
            cand(RateLevel.CLIENT_CLASSIFICATION, 30000, date(2026, 1, 1))]
    resolved = resolve_rate(rows, worked_on=ON, currency="USD", standard_rate_minor=None, standard_currency="USD")
    assert (resolved.level, resolved.rate_minor) == (RateLevel.CLIENT_CLASSIFICATION, 30000)


def test_same_level_same_date_the_last_entered_wins():
    rows = [cand(RateLevel.MATTER_TIMEKEEPER, 40000, rid=7), cand(RateLevel.MATTER_TIMEKEEPER, 41000, rid=9)]
    assert resolve_rate(rows, worked_on=ON, currency="USD", standard_rate_minor=None,
                        standard_currency="USD").rate_id == 9


def test_rates_in_another_currency_never_apply():
    rows = [cand(RateLevel.MATTER_TIMEKEEPER, 40000, currency="EUR"), cand(RateLevel.CLIENT_CLASSIFICATION, 30000)]
    assert resolve_rate(rows, worked_on=ON, currency="USD", standard_rate_minor=None,
                        standard_currency="USD").rate_minor == 30000


def test_standard_rate_is_the_fallback_only_in_the_firm_currency():
    resolved = resolve_rate([], worked_on=ON, currency="USD", standard_rate_minor=30000, standard_currency="USD")
    assert (resolved.level, resolved.rate_minor, resolved.rate_id) == (RateLevel.TIMEKEEPER_STANDARD, 30000, None)
    with pytest.raises(RateNotFound, match="no EUR rate in force on 2026-06-15"):
        resolve_rate([], worked_on=ON, currency="EUR", standard_rate_minor=30000, standard_currency="USD")


def test_no_rate_at_all_is_a_clear_error():
    with pytest.raises(RateNotFound):
        resolve_rate([cand(RateLevel.MATTER_TIMEKEEPER, 1, date(2027, 1, 1))], worked_on=ON, currency="USD",
                     standard_rate_minor=None, standard_currency="USD")


@pytest.mark.parametrize(
    ("tk", "matter", "client", "level"),
    [(True, True, False, RateLevel.MATTER_TIMEKEEPER), (True, False, True, RateLevel.CLIENT_TIMEKEEPER),
     (True, False, False, RateLevel.TIMEKEEPER_DATED), (False, True, False, RateLevel.MATTER_CLASSIFICATION),
     (False, False, True, RateLevel.CLIENT_CLASSIFICATION)],
)
def test_classify_by_keys(tk, matter, client, level):
    assert classify(has_timekeeper=tk, has_matter=matter, has_client=client) == level


def test_a_classification_rate_without_client_or_matter_is_refused():
    with pytest.raises(ValueError):
        classify(has_timekeeper=False, has_matter=False, has_client=False)
