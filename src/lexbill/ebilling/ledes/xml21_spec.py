"""lexbill's picture of LEDES XML E-Billing 2.1: the segments, their elements and the fixed order of each.

The official XSD (LEDES213xsd.zip) could not be obtained, so this table is built from the facts in
../shared/reference/ledes-utbms.md §2.2 and element names seen in a public generator; the namespace and the
exact sequences are **unverified** (docs/ledes.md, "XML 2.1"). The writer emits exactly this order and the
validator checks it, as an XSD sequence would. Inside every segment the order is: its own values, then its
`file_item_nbr`, then its child segments.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE = "http://www.ledes.org/LEDES21.xsd"
ROOT = "ledesxmlebilling2.1"
FORMAT_XML21 = "XML2.1"

# Kinds of value an element holds (the validator checks each kind's format).
SEGMENT = "segment"
TEXT = "text"
DATE = "date"  # YYYY-MM-DD
MONEY = "money"  # -?digits(.1-4 digits)
UNITS = "units"  # hours or quantity, not negative
PERCENT = "percent"  # 0..100
ITEM_NBR = "item_nbr"  # positive integer, unique in the file
CURRENCY = "currency"  # ISO 4217
COUNTRY = "country"  # ISO 3166 alpha-2 or alpha-3
LEVEL = "level"  # timekeeper classification
TASK_CODE, ACTIVITY_CODE, EXPENSE_CODE = "task_code", "activity_code", "expense_code"

ENUMS: dict[str, tuple[str, ...]] = {
    "account_type": ("O", "T"),
    "matter_final_bill": ("Y", "N"),
    "charge_type": ("U", "F"),
    "disc_cred_category": ("Fee", "Exp"),
    "increase_decrease": ("Increase", "Decrease"),
}


@dataclass(frozen=True)
class Element:
    name: str
    kind: str = TEXT
    required: bool = True
    repeats: bool = False


def _opt(name: str, kind: str = TEXT) -> Element:
    return Element(name, kind, required=False)


def _many(name: str) -> Element:
    return Element(name, SEGMENT, required=False, repeats=True)


NBR = Element("file_item_nbr", ITEM_NBR)

# @ADDRESS_INFO and @CONTACT_INFO are shared by several parents.
_ADDRESS = (_opt("address_1"), _opt("address_2"), _opt("city"), _opt("state_province"), _opt("zip_postal_code"),
            _opt("country", COUNTRY), _opt("phone"), NBR)
_CONTACT = (Element("contact_lname"), Element("contact_fname"), _opt("contact_phone"), _opt("contact_email"), NBR)

SEGMENTS: dict[str, tuple[Element, ...]] = {
    ROOT: (Element("firm", SEGMENT),),
    "firm": (_opt("lf_vendor_id"), Element("lf_id"), Element("lf_name"), _opt("lf_address", SEGMENT),
             _opt("lf_billing_contact", SEGMENT), Element("source_app"), Element("app_version"), NBR,
             Element("client", SEGMENT, repeats=True)),
    "lf_address": _ADDRESS,
    "lf_billing_contact": _CONTACT,
    "client": (Element("cl_id"), _opt("cl_lf_id"), Element("cl_name"), _opt("cl_address", SEGMENT), NBR,
               Element("invoice", SEGMENT, repeats=True)),
    "cl_address": _ADDRESS,
    "invoice": (Element("inv_id"), Element("inv_date", DATE), _opt("inv_due_date", DATE),
                Element("inv_currency", CURRENCY), Element("inv_start_date", DATE), Element("inv_end_date", DATE),
                _opt("inv_desc"), _opt("inv_payment_terms"), Element("inv_total_tax", MONEY),
                Element("inv_total_net_due", MONEY), NBR, _many("tax"), Element("matter", SEGMENT, repeats=True)),
    "matter": (_opt("cl_matter_id"), Element("lf_matter_id"), Element("matter_name"), _opt("matter_desc"),
               _opt("po_number"), Element("account_type"), Element("matter_final_bill"),
               Element("matter_total_detail_fees", MONEY), Element("matter_total_detail_exp", MONEY),
               Element("matter_disc_credit_fees", MONEY), Element("matter_disc_credit_exp", MONEY),
               Element("matter_disc_cred_total", MONEY), Element("matter_perc_shar_fees", PERCENT),
               Element("matter_perc_shar_exp", PERCENT), Element("matter_tax_on_fees", MONEY),
               Element("matter_tax_on_exp", MONEY), Element("matter_net_fees", MONEY),
               Element("matter_net_exp", MONEY), Element("matter_total_due", MONEY), NBR,
               _many("matter_disc_cred"), _many("tk_sum"), _many("fee"), _many("expense")),
    "matter_disc_cred": (Element("disc_cred"), Element("disc_cred_category"), Element("increase_decrease"),
                         Element("disc_cred_amount", MONEY), NBR, _many("tax")),
    "tk_sum": (Element("tk_id"), Element("tk_lname"), Element("tk_fname"), Element("tk_level", LEVEL),
               Element("tk_rate", MONEY), NBR),
    "fee": (Element("charge_date", DATE), Element("tk_id"), Element("tk_level", LEVEL), Element("charge_desc"),
            _opt("task_code", TASK_CODE), _opt("task_activity", ACTIVITY_CODE), Element("charge_type"),
            Element("units", UNITS), Element("rate", MONEY), Element("base_amount", MONEY),
            Element("item_disc_cred_amount", MONEY), Element("total_amount", MONEY), NBR, _many("tax")),
    "expense": (Element("charge_date", DATE), _opt("tk_id"), Element("charge_desc"),
                _opt("expense_code", EXPENSE_CODE), Element("charge_type"), Element("units", UNITS),
                Element("rate", MONEY), Element("base_amount", MONEY), Element("item_disc_cred_amount", MONEY),
                Element("total_amount", MONEY), NBR, _many("tax")),
    "tax": (Element("tax_type"), _opt("tax_rate_percent", PERCENT), Element("tax_on_charge", MONEY), NBR),
}

# A fixed fee or a bill-level adjustment is a "matter-level fixed adjustment" (MIA), as the generator does.
DISC_CRED_FIXED = "MIA"
SOURCE_APP = "lexbill"
