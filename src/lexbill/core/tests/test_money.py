"""core.money: the Money value type, the one strict amount parser, exact conversions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lexbill.core.currencies import UnknownCurrency, currency_codes
from lexbill.core.errors import ValidationFailed
from lexbill.core.money import (
    MAX_AMOUNT_MINOR,
    AmountInvalid,
    CurrencyMismatch,
    Money,
    amount_text,
    format_money,
    from_minor,
    parse_amount,
    to_minor,
)

# --- Money ------------------------------------------------------------------------------------------------


def test_money_refuses_ordering_across_currencies() -> None:
    # On main, Money was a dataclass(order=True): Money(100, "USD") < Money(50, "EUR") answered False.
    with pytest.raises(CurrencyMismatch, match="cannot compare USD and EUR"):
        _ = Money(100, "USD") < Money(50, "EUR")
    for compare in (lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b):
        with pytest.raises(TypeError):
            compare(Money(100, "USD"), Money(50, "EUR"))


def test_money_refuses_arithmetic_across_currencies() -> None:
    with pytest.raises(CurrencyMismatch, match="cannot add USD and EUR"):
        _ = Money(100, "USD") + Money(50, "EUR")
    with pytest.raises(ValueError, match="cannot subtract USD and JPY"):
        _ = Money(100, "USD") - Money(50, "JPY")


def test_money_refuses_comparison_with_a_bare_number() -> None:
    with pytest.raises(TypeError):
        _ = Money(100, "USD") < 50  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money(100, "USD") + 50  # type: ignore[operator]


def test_money_of_one_currency_orders_adds_and_negates() -> None:
    assert Money(50, "USD") < Money(100, "USD")
    assert Money(100, "USD") >= Money(100, "USD")
    assert Money(100, "USD") + Money(250, "USD") == Money(350, "USD")
    assert Money(100, "USD") - Money(250, "USD") == Money(-150, "USD")
    assert -Money(5, "USD") == Money(-5, "USD")
    assert sorted([Money(3, "EUR"), Money(1, "EUR"), Money(2, "EUR")]) == [Money(1, "EUR"), Money(2, "EUR"),
                                                                           Money(3, "EUR")]


def test_money_equality_needs_the_same_currency() -> None:
    assert Money(100, "USD") != Money(100, "EUR")
    assert Money(100, "USD") == Money(100, "USD")
    assert len({Money(100, "USD"), Money(100, "USD"), Money(100, "EUR")}) == 2


def test_money_validates_its_currency_and_minor_units() -> None:
    with pytest.raises(UnknownCurrency, match="unknown currency 'XYZ'"):
        Money(1, "XYZ")
    with pytest.raises(UnknownCurrency):
        Money(1, "usd")
    with pytest.raises(TypeError):
        Money(Decimal("1.5"), "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "USD")


def test_money_reads_and_shows_its_amount() -> None:
    money = Money.parse("1234.5", "USD")
    assert money == Money(123450, "USD")
    assert money.amount == Decimal("1234.50")
    assert money.text == "1234.50"
    assert str(money) == "1,234.50 USD"
    assert str(Money(-123450, "USD")) == "-1,234.50 USD"
    assert Money.zero("JPY") == Money(0, "JPY")


# --- minor-unit exponents (ISO 4217, from the iso4217 package) ------------------------------------------


@pytest.mark.parametrize(("currency", "minor", "text"), [
    ("USD", 123450, "1234.50"),
    ("JPY", 1234, "1234"),
    ("VND", 1234, "1234"),  # the hand-kept table on main gave VND, UGX, XOF 2 decimals
    ("UGX", 1234, "1234"),
    ("XOF", 1234, "1234"),
    ("IQD", 1234500, "1234.500"),  # ISO 3 (CLDR says 0); main said 2
    ("LYD", 1234500, "1234.500"),
    ("BHD", 1234500, "1234.500"),
    ("KWD", 1234500, "1234.500"),
    ("CLF", 12345000, "1234.5000"),
])
def test_amounts_use_the_iso_minor_unit(currency: str, minor: int, text: str) -> None:
    assert parse_amount(text, currency) == minor
    assert amount_text(minor, currency) == text


def test_an_unknown_or_unbillable_currency_is_refused_not_given_two_decimals() -> None:
    for code in ("USX", "XXX", "XAU", "HRK", "", "US"):
        with pytest.raises(UnknownCurrency):
            from_minor(100, code)
        with pytest.raises(UnknownCurrency):
            parse_amount("1.00", code)


# --- parse_amount: the one strict parser ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "minor"), [
    ("0", 0), ("0.00", 0), ("1", 100), ("1.5", 150), ("1.50", 150), (" 350.00 ", 35000), ("007.10", 710),
    ("999999999999.99", 99999999999999),
])
def test_plain_amounts_are_read_exactly(text: str, minor: int) -> None:
    assert parse_amount(text, "USD") == minor


@pytest.mark.parametrize(("text", "message"), [
    ("1,50", "not an amount: '1,50'"),  # the CLI read this as 150.00 on main (to_minor stripped commas)
    ("1,234.50", "not an amount"),  # thousands separators are refused too: see docs/money.md
    ("1.234,50", "not an amount"),
    ("1e3", "not an amount"),
    ("1E-2", "not an amount"),
    ("NaN", "not an amount"),
    ("inf", "not an amount"),
    ("-inf", "not an amount"),
    ("Infinity", "not an amount"),
    ("1.505", "USD amounts have at most 2 decimals"),
    ("1.500", "USD amounts have at most 2 decimals"),
    ("--1", "not an amount"),
    ("+-1", "not an amount"),
    ("+1", "not an amount"),
    ("- 1", "not an amount"),
    ("1 000", "not an amount"),
    (".5", "not an amount"),
    ("5.", "not an amount"),
    ("0x10", "not an amount"),
    ("١٢", "not an amount"),  # Arabic-Indic digits, which Decimal() reads
    ("$5", "not an amount"),
    ("5 USD", "not an amount"),
    ("", "an amount is required"),
    ("   ", "an amount is required"),
    ("-1.00", "is negative"),
    ("10000000000000.00", "too large"),
])
def test_malformed_amounts_are_refused(text: str, message: str) -> None:
    with pytest.raises(AmountInvalid, match=message) as info:
        parse_amount(text, "USD", field="unit_cost")
    assert info.value.field == "unit_cost"
    assert isinstance(info.value, ValidationFailed)


def test_a_zero_decimal_currency_takes_no_decimals() -> None:
    with pytest.raises(AmountInvalid, match="JPY amounts have no decimals"):
        parse_amount("100.0", "JPY")


def test_numbers_that_are_not_text_are_refused() -> None:
    for value in (1.5, 150, Decimal("1.50"), None, True):
        with pytest.raises(AmountInvalid, match="an amount is text"):
            parse_amount(value, "USD")


def test_a_minus_sign_only_where_the_amount_may_be_negative() -> None:
    assert parse_amount("-12.30", "USD", signed=True) == -1230
    assert parse_amount("12.30", "USD", signed=True) == 1230
    with pytest.raises(AmountInvalid, match="must be zero or more"):
        parse_amount("-12.30", "USD")
    with pytest.raises(AmountInvalid):
        parse_amount("--12.30", "USD", signed=True)


# --- to_minor: exact conversion of numbers already read ----------------------------------------------


def test_to_minor_converts_exact_numbers_only() -> None:
    assert to_minor(Decimal("12.30"), "USD") == 1230
    assert to_minor(Decimal("12.300"), "USD") == 1230
    assert to_minor(7, "JPY") == 7
    with pytest.raises(ValueError, match="more decimals than USD allows"):
        to_minor(Decimal("0.001"), "USD")
    with pytest.raises(TypeError):
        to_minor("1,50", "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_minor(1.5, "USD")  # type: ignore[arg-type]


def test_format_money_groups_thousands_for_people() -> None:
    assert format_money(123456789, "USD") == "1,234,567.89 USD"
    assert format_money(1234567, "JPY") == "1,234,567 JPY"
    assert format_money(-5, "BHD") == "-0.005 BHD"


# --- properties ------------------------------------------------------------------------------------------

CURRENCIES = st.sampled_from(currency_codes())
MINOR = st.integers(min_value=-MAX_AMOUNT_MINOR, max_value=MAX_AMOUNT_MINOR)


@given(minor=MINOR, currency=CURRENCIES)
def test_parse_reads_back_what_amount_text_writes(minor: int, currency: str) -> None:
    assert parse_amount(amount_text(minor, currency), currency, signed=True) == minor
    assert Money.parse(Money(minor, currency).text, currency, signed=True) == Money(minor, currency)


@given(a=MINOR, b=MINOR, first=CURRENCIES, second=CURRENCIES)
def test_no_ordering_or_sum_across_currencies(a: int, b: int, first: str, second: str) -> None:
    left, right = Money(a, first), Money(b, second)
    if first == second:
        assert (left < right) == (a < b)
        assert (left + right).minor == a + b
    else:
        with pytest.raises(CurrencyMismatch):
            _ = left < right
        with pytest.raises(CurrencyMismatch):
            _ = left + right
        assert left != right


@given(text=st.text(max_size=20), currency=CURRENCIES)
def test_parse_either_refuses_or_gives_an_exact_amount(text: str, currency: str) -> None:
    try:
        minor = parse_amount(text, currency, signed=True)
    except AmountInvalid:
        return
    # Whatever was accepted is plain decimal text whose value is exactly the minor units read.
    assert Decimal(text.strip()) == from_minor(minor, currency)
