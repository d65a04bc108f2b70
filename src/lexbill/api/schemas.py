"""Request and response shapes.

Money travels as a decimal string in major units plus its currency ("350.00", "USD"); hours as a
decimal string ("0.5"); dates as ISO dates. Inputs are strings with a pattern rather than JSON
numbers, so no amount ever passes through a float. Every number and string is bounded, so an
oversized input is refused by the schema (422) before it reaches the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from lexbill.billing.models import client_billing_settings
from lexbill.clients.models import Client, FeeArrangement, Matter, MatterStatus, RetainerMonth
from lexbill.core.hours import display_hours, milli_to_hours
from lexbill.core.money import from_minor
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.rates.models import Rate
from lexbill.staff.models import Classification, Timekeeper
from lexbill.timekeeping.models import ChargeType, CostType, Expense, TimeEntry

MAX_ID = 2**63 - 1
MAX_TEXT = 10_000

# [0-9] rather than \d: \d would also admit other scripts' digits, which Decimal happily reads.
Amount = Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,3})?$", examples=["350.00"],
                              description="Decimal string in major units of the currency")]
Hours = Annotated[str, Field(pattern=r"^[0-9]{1,2}(\.[0-9]{1,3})?$", examples=["0.5"],
                             description="Decimal string of hours")]
Quantity = Annotated[str, Field(pattern=r"^[0-9]{1,6}(\.[0-9]{1,3})?$", examples=["1"])]
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["14:00"])]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["USD"])]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", examples=["US"])]
Code = Annotated[str, Field(max_length=10, examples=["L120"])]
# The UTBMS code sets of codes/loader.py SET_NAMES (the service checks the same list).
CodeSetName = Literal["litigation", "counseling", "bankruptcy", "project", "activity", "expense"]
CodeSets = Annotated[list[CodeSetName], Field(max_length=6, examples=[["litigation", "activity", "expense"]])]


def text(max_length: int, *, required: bool = False) -> Any:
    return Field(..., min_length=1, max_length=max_length) if required else Field("", max_length=max_length)


def money_str(minor: int | None, currency: str) -> str | None:
    return None if minor is None else str(from_minor(minor, currency))


def increment_str(milli: int | None) -> str | None:
    return None if milli is None else display_hours(milli_to_hours(milli))


def hours_str(hours: Decimal) -> str:
    # At least one decimal ("1.0", "0.25"), never an exponent ("1E+1").
    return display_hours(hours)


def quantity_str(quantity: Decimal) -> str:
    return format(quantity, "f")


class InSchema(Schema):
    """Base of request bodies: text must be storable as-is on both databases."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            # PostgreSQL cannot store NUL, and a lone surrogate is not UTF-8 at all.
            if "\x00" in value:
                raise ValueError("text cannot contain NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError("text must be valid Unicode") from exc
        return value


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


# --- clients --------------------------------------------------------------------------------------


# billing.MissingCodes' values, kept literal so the schema shows the choices.
MissingCodesSetting = Literal["refuse", "warn"]


class ClientIn(InSchema):
    code: str = text(30, required=True)
    name: str = text(200, required=True)
    address_line1: str = text(200)
    address_line2: str = text(200)
    city: str = text(100)
    region: str = text(100)
    postcode: str = text(20)
    country: Country = "US"
    currency: Currency | None = None
    payment_terms_days: int = Field(30, ge=0, le=3650)
    ledes_client_id: str = text(40)
    billing_increment: Hours | None = None
    is_consolidated_billing: bool = False
    is_active: bool = True
    notes: str = text(MAX_TEXT)
    utbms_code_sets: CodeSets = []
    missing_codes: MissingCodesSetting = Field(
        "refuse", description="lines missing required UTBMS codes: refuse approval, or only warn")


class ClientPatch(InSchema):
    code: str | None = Field(None, min_length=1, max_length=30)
    name: str | None = Field(None, min_length=1, max_length=200)
    address_line1: str | None = Field(None, max_length=200)
    address_line2: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    postcode: str | None = Field(None, max_length=20)
    country: Country | None = None
    currency: Currency | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=3650)
    ledes_client_id: str | None = Field(None, max_length=40)
    billing_increment: Hours | None = None
    is_consolidated_billing: bool | None = None
    is_active: bool | None = None
    notes: str | None = Field(None, max_length=MAX_TEXT)
    utbms_code_sets: CodeSets | None = None
    missing_codes: MissingCodesSetting | None = None


class ClientOut(Schema):
    id: int
    code: str
    name: str
    address_line1: str
    address_line2: str
    city: str
    region: str
    postcode: str
    country: str
    currency: str
    payment_terms_days: int
    ledes_client_id: str
    billing_increment: str | None
    is_consolidated_billing: bool
    is_active: bool
    notes: str
    utbms_code_sets: list[str]
    missing_codes: str

    @staticmethod
    def resolve_billing_increment(obj: Client) -> str | None:
        return increment_str(obj.billing_increment_milli)

    @staticmethod
    def resolve_missing_codes(obj: Client) -> str:
        return client_billing_settings(obj).missing_codes

    @staticmethod
    def resolve_ledes_client_id(obj: Client) -> str:
        return client_ebilling_settings(obj).ledes_client_id


# --- timekeepers ----------------------------------------------------------------------------------


class TimekeeperIn(InSchema):
    initials: str = text(10, required=True)
    first_name: str = text(100, required=True)
    last_name: str = text(100, required=True)
    title: str = text(100)
    classification: Classification
    standard_rate: Amount
    is_active: bool = True


class TimekeeperPatch(InSchema):
    initials: str | None = Field(None, min_length=1, max_length=10)
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, max_length=100)
    classification: Classification | None = None
    standard_rate: Amount | None = None
    is_active: bool | None = None


class TimekeeperOut(Schema):
    id: int
    initials: str
    first_name: str
    last_name: str
    title: str
    classification: str
    standard_rate: str
    currency: str
    is_active: bool

    @staticmethod
    def resolve_standard_rate(obj: Timekeeper) -> str:
        return str(from_minor(obj.standard_rate_minor, obj.firm.currency))

    @staticmethod
    def resolve_currency(obj: Timekeeper) -> str:
        return obj.firm.currency


# --- matters --------------------------------------------------------------------------------------


class MatterIn(InSchema):
    client: str = Field(..., min_length=1, max_length=30, description="client code")
    number: str = text(40, required=True)
    name: str = text(200, required=True)
    client_matter_id: str = text(60)
    description: str = text(MAX_TEXT)
    billing_attorney: str = Field(..., min_length=1, max_length=10, description="timekeeper initials")
    responsible_attorney: str | None = Field(None, min_length=1, max_length=10)
    originating_attorney: str | None = Field(None, min_length=1, max_length=10)
    status: MatterStatus = MatterStatus.OPEN
    opened_on: date
    closed_on: date | None = None
    currency: Currency | None = None
    fee_arrangement: FeeArrangement = FeeArrangement.HOURLY
    fee_amount: Amount | None = None
    fee_percent_bp: int | None = Field(None, ge=0, le=10_000, description="basis points: 3333 = 33.33 %")
    retainer_first_month: RetainerMonth = Field(RetainerMonth.FULL, description="a retainer's opening month")
    retainer_last_month: RetainerMonth = Field(RetainerMonth.FULL, description="a retainer's closing month")
    billing_increment: Hours | None = None
    budget: Amount | None = None
    utbms_code_sets: CodeSets = Field([], description="empty: the client's sets apply")


class MatterPatch(InSchema):
    client: str | None = Field(None, min_length=1, max_length=30)
    number: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    client_matter_id: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=MAX_TEXT)
    billing_attorney: str | None = Field(None, min_length=1, max_length=10)
    responsible_attorney: str | None = Field(None, min_length=1, max_length=10)
    originating_attorney: str | None = Field(None, min_length=1, max_length=10)
    status: MatterStatus | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    currency: Currency | None = None
    fee_arrangement: FeeArrangement | None = None
    fee_amount: Amount | None = None
    fee_percent_bp: int | None = Field(None, ge=0, le=10_000)
    retainer_first_month: RetainerMonth | None = None
    retainer_last_month: RetainerMonth | None = None
    billing_increment: Hours | None = None
    budget: Amount | None = None
    utbms_code_sets: CodeSets | None = None


class MatterOut(Schema):
    id: int
    number: str
    name: str
    client: str
    client_id: int
    client_matter_id: str
    description: str
    billing_attorney: str
    responsible_attorney: str | None
    originating_attorney: str | None
    status: str
    opened_on: date
    closed_on: date | None
    currency: str
    fee_arrangement: str
    fee_amount: str | None
    fee_percent_bp: int | None
    retainer_first_month: str
    retainer_last_month: str
    billing_increment: str | None
    budget: str | None
    utbms_code_sets: list[str]

    @staticmethod
    def resolve_client(obj: Matter) -> str:
        return obj.client.code

    @staticmethod
    def resolve_billing_attorney(obj: Matter) -> str:
        return obj.billing_attorney.initials

    @staticmethod
    def resolve_responsible_attorney(obj: Matter) -> str | None:
        return obj.responsible_attorney.initials if obj.responsible_attorney else None

    @staticmethod
    def resolve_originating_attorney(obj: Matter) -> str | None:
        return obj.originating_attorney.initials if obj.originating_attorney else None

    @staticmethod
    def resolve_fee_amount(obj: Matter) -> str | None:
        return money_str(obj.fee_amount_minor, obj.currency)

    @staticmethod
    def resolve_budget(obj: Matter) -> str | None:
        return money_str(obj.budget_minor, obj.currency)

    @staticmethod
    def resolve_billing_increment(obj: Matter) -> str | None:
        return increment_str(obj.billing_increment_milli)


# --- time entries ---------------------------------------------------------------------------------


class TimeEntryIn(InSchema):
    matter: str = Field(..., min_length=1, max_length=40, description="matter number")
    timekeeper: str = Field(..., min_length=1, max_length=10, description="timekeeper initials")
    worked_on: date
    hours: Hours | None = Field(None, description="give exactly one of hours, minutes or start/end")
    minutes: int | None = Field(None, ge=1, le=1440)
    start: Clock | None = None
    end: Clock | None = None
    narrative: str = text(MAX_TEXT, required=True)
    task_code: Code = ""
    activity_code: Code = ""
    charge_type: ChargeType = ChargeType.BILLABLE
    hours_billable: Hours | None = None


class TimeEntryPatch(InSchema):
    matter: str | None = Field(None, min_length=1, max_length=40)
    timekeeper: str | None = Field(None, min_length=1, max_length=10)
    worked_on: date | None = None
    hours_worked: Hours | None = None
    hours_billable: Hours | None = None
    narrative: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    task_code: Code | None = None
    activity_code: Code | None = None
    charge_type: ChargeType | None = None


class TimeEntryOut(Schema):
    id: int
    matter: str
    matter_id: int
    timekeeper: str
    timekeeper_id: int
    worked_on: date
    hours_worked: str
    hours_billable: str
    narrative: str
    task_code: str
    activity_code: str
    charge_type: str
    status: str
    rate: str | None
    amount: str | None
    currency: str

    @staticmethod
    def resolve_matter(obj: TimeEntry) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_timekeeper(obj: TimeEntry) -> str:
        return obj.timekeeper.initials

    @staticmethod
    def resolve_hours_worked(obj: TimeEntry) -> str:
        return hours_str(obj.hours_worked)

    @staticmethod
    def resolve_hours_billable(obj: TimeEntry) -> str:
        return hours_str(obj.hours_billable)

    @staticmethod
    def resolve_rate(obj: TimeEntry) -> str | None:
        return money_str(obj.rate_minor, obj.matter.currency)

    @staticmethod
    def resolve_amount(obj: TimeEntry) -> str | None:
        return money_str(obj.amount_minor, obj.matter.currency)

    @staticmethod
    def resolve_currency(obj: TimeEntry) -> str:
        return obj.matter.currency


# --- expenses -------------------------------------------------------------------------------------


class ExpenseIn(InSchema):
    matter: str = Field(..., min_length=1, max_length=40, description="matter number")
    timekeeper: str | None = Field(None, min_length=1, max_length=10, description="timekeeper initials")
    incurred_on: date
    expense_code: Code = ""
    description: str = text(MAX_TEXT, required=True)
    quantity: Quantity = "1"
    unit_cost: Amount = Field(..., description="in the matter's currency")
    cost_type: CostType = CostType.HARD
    charge_type: ChargeType = ChargeType.BILLABLE


class ExpensePatch(InSchema):
    matter: str | None = Field(None, min_length=1, max_length=40)
    timekeeper: str | None = Field(None, min_length=1, max_length=10)
    incurred_on: date | None = None
    expense_code: Code | None = None
    description: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    quantity: Quantity | None = None
    unit_cost: Amount | None = None
    cost_type: CostType | None = None
    charge_type: ChargeType | None = None


class ExpenseOut(Schema):
    id: int
    matter: str
    matter_id: int
    timekeeper: str | None
    timekeeper_id: int | None
    incurred_on: date
    expense_code: str
    description: str
    quantity: str
    unit_cost: str
    amount: str
    currency: str
    cost_type: str
    charge_type: str
    status: str

    @staticmethod
    def resolve_matter(obj: Expense) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_timekeeper(obj: Expense) -> str | None:
        return obj.timekeeper.initials if obj.timekeeper else None

    @staticmethod
    def resolve_quantity(obj: Expense) -> str:
        return quantity_str(obj.quantity)

    @staticmethod
    def resolve_unit_cost(obj: Expense) -> str:
        return str(from_minor(obj.unit_cost_minor, obj.matter.currency))

    @staticmethod
    def resolve_amount(obj: Expense) -> str:
        return str(from_minor(obj.amount_minor, obj.matter.currency))

    @staticmethod
    def resolve_currency(obj: Expense) -> str:
        return obj.matter.currency


# --- rates ----------------------------------------------------------------------------------------


class RateIn(InSchema):
    timekeeper: str | None = Field(None, min_length=1, max_length=10, description="timekeeper initials")
    classification: Classification | None = None
    client: str | None = Field(None, min_length=1, max_length=30, description="client code")
    matter: str | None = Field(None, min_length=1, max_length=40, description="matter number")
    effective_on: date
    rate: Amount
    currency: Currency | None = None
    note: str = text(200)


class RateOut(Schema):
    id: int
    timekeeper: str | None
    timekeeper_id: int | None
    classification: str
    client: str | None
    client_id: int | None
    matter: str | None
    matter_id: int | None
    effective_on: date
    rate: str
    currency: str
    note: str

    @staticmethod
    def resolve_timekeeper(obj: Rate) -> str | None:
        return obj.timekeeper.initials if obj.timekeeper else None

    @staticmethod
    def resolve_client(obj: Rate) -> str | None:
        return obj.client.code if obj.client else None

    @staticmethod
    def resolve_matter(obj: Rate) -> str | None:
        return obj.matter.number if obj.matter else None

    @staticmethod
    def resolve_rate(obj: Rate) -> str:
        return str(from_minor(obj.rate_minor, obj.currency))



