"""The LEDES 1998B / 98BI field lengths (ledes-utbms.md §1.2 and §2.1), where every app can read them.

The e-billing validator checks files against them; the client, matter and timekeeper services check the
values of e-billing clients against them when they are saved, so that an invoice issued to such a client
(which freezes those values, invariant 2) can always be written as a file that a portal accepts. They sit in
this low app because `clients` and `staff` may not import `ebilling`.
"""

from __future__ import annotations

from collections.abc import Iterable

from lexbill.core.errors import ValidationFailed

LENGTHS: dict[str, int] = {
    "INVOICE_NUMBER": 20, "CLIENT_ID": 20, "LAW_FIRM_MATTER_ID": 20, "INVOICE_DESCRIPTION": 15360,
    "LINE_ITEM_NUMBER": 20, "LINE_ITEM_TASK_CODE": 20, "LINE_ITEM_EXPENSE_CODE": 20,
    "LINE_ITEM_ACTIVITY_CODE": 20, "TIMEKEEPER_ID": 20, "LINE_ITEM_DESCRIPTION": 15360, "LAW_FIRM_ID": 20,
    "TIMEKEEPER_NAME": 30, "TIMEKEEPER_CLASSIFICATION": 10, "CLIENT_MATTER_ID": 20,
    "PO_NUMBER": 100, "CLIENT_TAX_ID": 20, "MATTER_NAME": 255, "TIMEKEEPER_LAST_NAME": 30,
    "TIMEKEEPER_FIRST_NAME": 30, "LAW_FIRM_NAME": 60, "LAW_FIRM_ADDRESS_1": 60, "LAW_FIRM_ADDRESS_2": 60,
    "LAW_FIRM_CITY": 40, "LAW_FIRM_STATEorREGION": 40, "LAW_FIRM_POSTCODE": 20, "CLIENT_NAME": 60,
    "CLIENT_ADDRESS_1": 60, "CLIENT_ADDRESS_2": 60, "CLIENT_CITY": 40, "CLIENT_STATEorREGION": 40,
    "CLIENT_POSTCODE": 20, "LINE_ITEM_TAX_TYPE": 20,
}

# What a client, a matter and a timekeeper put into a LEDES file: (model field, its label, LEDES field).
CLIENT_FIELDS = (("name", "name", "CLIENT_NAME"), ("address_line1", "address line 1", "CLIENT_ADDRESS_1"),
                 ("address_line2", "address line 2", "CLIENT_ADDRESS_2"), ("city", "city", "CLIENT_CITY"),
                 ("region", "state / region", "CLIENT_STATEorREGION"), ("postcode", "postcode", "CLIENT_POSTCODE"))
MATTER_FIELDS = (("number", "matter number", "LAW_FIRM_MATTER_ID"),
                 ("client_matter_id", "client's matter id", "CLIENT_MATTER_ID"), ("name", "name", "MATTER_NAME"))
TIMEKEEPER_FIELDS = (("initials", "initials", "TIMEKEEPER_ID"), ("first_name", "first name", "TIMEKEEPER_FIRST_NAME"),
                     ("last_name", "last name", "TIMEKEEPER_LAST_NAME"))


def check_lengths(values: Iterable[tuple[str, str, str, str]], *, why: str) -> None:
    """values: (model field, label, LEDES field, value). Refuses the first value longer than its LEDES field,
    naming the field, its length and the limit; `why` says whose file it goes into."""
    for field, label, ledes_field, value in values:
        limit = LENGTHS[ledes_field]
        if len(value) > limit:
            raise ValidationFailed(f"{label} is {len(value)} characters long; LEDES allows at most {limit} in "
                                   f"{ledes_field} ({why})", field=field)


def client_id_value(ledes_client_id: str, code: str) -> tuple[str, str, str, str]:
    """The client's LEDES CLIENT_ID: its LEDES client id, or its number when it has none."""
    if ledes_client_id:
        return ("ledes_client_id", "LEDES client id", "CLIENT_ID", ledes_client_id)
    return ("code", "client number (its LEDES client id when it has none)", "CLIENT_ID", code)


def timekeeper_name_value(first_name: str, last_name: str) -> tuple[str, str, str, str]:
    """TIMEKEEPER_NAME is written "Last, First"."""
    return ("last_name", "name as \"Last, First\"", "TIMEKEEPER_NAME", f"{last_name}, {first_name}")
