"""The option types every `lexbill` command uses for dates, times of day, amounts, hours and percentages.

Each type reads its value with the parser the web and the API use (`core.money.parse_amount`,
`core.hours.hours_to_milli`, the tax-rate and payor-share parsers), so the CLI accepts exactly what they
accept. A refusal is a `click.BadParameter` whose message says what is expected; `cli.main` prints it as
one line naming the option (`lexbill: error: --on: "03/12/2026" is not a date (YYYY-MM-DD)`), exit 1.

A test walks the command tree and feeds every option of these types a bad value, so a new command that
takes a date or an amount gets the same treatment by declaring `type=DATE` / `type=AMOUNT`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

import click

# Exactly the shape of an HTML date input and of the API's dates: four-digit year, two-digit month and day.
# (date.fromisoformat alone would also take "20260312" and "2026-W11-4".)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}", re.ASCII)
_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}", re.ASCII)


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD; the command gets a `date`."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if _DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.fail(f'"{value}" is not a date (YYYY-MM-DD)', param, ctx)


class MonthParam(click.ParamType):
    """A calendar month written YYYY-MM; the command gets the month's first day."""

    name = "month"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value.replace(day=1)
        text = str(value).strip()
        if _MONTH.fullmatch(text) and 1 <= int(text[5:]) <= 12:
            return date(int(text[:4]), int(text[5:]), 1)
        self.fail(f'"{value}" is not a month (YYYY-MM)', param, ctx)


class ClockParam(click.ParamType):
    """A time of day written HH:MM (24-hour clock), as the web's time inputs send it."""

    name = "clock"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> time:
        if isinstance(value, time):
            return value
        text = str(value).strip()
        if _CLOCK.fullmatch(text):
            try:
                return datetime.strptime(text, "%H:%M").time()
            except ValueError:
                pass
        self.fail(f'"{value}" is not a time of day (HH:MM, e.g. 14:30)', param, ctx)


class HoursParam(click.ParamType):
    """Hours as a decimal ("1.25"), read by `core.hours.hours_to_milli`; the command gets a Decimal."""

    name = "hours"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "HOURS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        from lexbill.core.hours import hours_to_milli, milli_to_hours

        if isinstance(value, Decimal):
            return value
        try:
            return milli_to_hours(hours_to_milli(str(value)))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@dataclass(frozen=True)
class AmountText:
    """An amount as typed, already checked for its shape; its minor units depend on the currency of the
    record it is for (known only once the command has found the matter or invoice): call `minor`."""

    text: str
    option: str
    signed: bool

    def __str__(self) -> str:  # as typed: what an idempotency key's fingerprint records
        return self.text

    def minor(self, currency: str) -> int:
        from lexbill.core.errors import LexbillError, ValidationFailed
        from lexbill.core.money import parse_amount

        try:
            return parse_amount(self.text, currency, signed=self.signed, field=self.option)
        except LexbillError as exc:
            raise ValidationFailed(f"{self.option}: {exc.message}", field=self.option) from exc


@cache
def _widest_currency() -> str:
    """The currency with the most decimals: an amount that fails even there is badly written anywhere."""
    from lexbill.core.currencies import currency_codes, currency_exponent

    return max(currency_codes(), key=lambda code: (currency_exponent(code), code))


class AmountParam(click.ParamType):
    """An amount in major units ("1234.50"), read by `core.money.parse_amount`. The shape (digits, one
    point, no separators, no exponent, a minus only where allowed) is checked while the options are read;
    the currency's decimals once the record is known (`AmountText.minor`)."""

    name = "amount"

    def __init__(self, *, signed: bool = False) -> None:
        self.signed = signed

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "AMOUNT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> AmountText:
        from lexbill.core.errors import LexbillError
        from lexbill.core.money import parse_amount

        if isinstance(value, AmountText):
            return value
        text = str(value)
        option = _option_name(param)
        # The wording of core.money.parse_amount, without a currency (its decimals are checked later).
        if text.strip().startswith("-") and not self.signed:
            self.fail(f"{text.strip()} is negative: the amount must be zero or more", param, ctx)
        try:
            parse_amount(text, _widest_currency(), signed=self.signed, field=option)
        except LexbillError:
            self.fail(f"not an amount: {text!r} (write amounts like 1234.50: digits and a point, no separators)",
                      param, ctx)
        return AmountText(text.strip(), option, self.signed)


class PercentParam(click.ParamType):
    """A tax rate in percent ("20", "8.875", "7.5 %"), read as the web and the API read it; the command
    gets parts per million."""

    name = "percent"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "PERCENT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from lexbill.billing.domain.tax_rates import percent_to_ppm

        if isinstance(value, int):
            return value
        try:
            return percent_to_ppm(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@dataclass(frozen=True)
class PayorSpec:
    code: str
    share_bp: int
    client_matter_id: str


class PayorShareParam(click.ParamType):
    """CODE=PERCENT[:CLIENT_MATTER_ID] (e.g. INSURER=60:CLM-2291), the share read by the parser the web's
    payor form uses (at most 2 decimals, 0 to 100)."""

    name = "payor share"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "CODE=PERCENT[:ID]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> PayorSpec:
        from lexbill.clients.services_payors import parse_share
        from lexbill.core.errors import LexbillError

        if isinstance(value, PayorSpec):
            return value
        code, sep, rest = str(value).partition("=")
        if not sep or not code.strip() or not rest.strip():
            self.fail(f'"{value}": write CODE=PERCENT or CODE=PERCENT:CLIENT_MATTER_ID', param, ctx)
        share, _, client_matter_id = rest.partition(":")
        try:
            share_bp = parse_share(share)
        except LexbillError as exc:
            self.fail(exc.message, param, ctx)
        return PayorSpec(code.strip(), share_bp, client_matter_id.strip())


def _option_name(param: click.Parameter | None) -> str:
    if param is None:
        return "value"
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return (param.human_readable_name or param.name or "value").upper()


DATE = DateParam()
MONTH = MonthParam()
CLOCK = ClockParam()
HOURS = HoursParam()
AMOUNT = AmountParam()
SIGNED_AMOUNT = AmountParam(signed=True)
PERCENT = PercentParam()
PAYOR_SHARE = PayorShareParam()

# The types whose bad values the convention test feeds to every command (tests/test_option_types.py).
VALUE_TYPES: tuple[type[click.ParamType], ...] = (DateParam, MonthParam, ClockParam, HoursParam, AmountParam,
                                                  PercentParam, PayorShareParam)


def today_unless(value: date | None) -> date:
    """The date given, or today in the active firm's time zone (the default of every optional --on)."""
    if value is not None:
        return value
    from django.utils import timezone

    return timezone.localdate()
