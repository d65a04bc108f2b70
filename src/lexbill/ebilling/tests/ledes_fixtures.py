"""Shared by the LEDES reader/validator tests: where the external samples live, and minimal hand-made files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lexbill.ebilling.ledes.spec import FIELDS_98BI, FIELDS_1998B, FORMAT_98BI

# ../shared/ledes-samples seen from the repository root (parents[4] of this file). A git worktree elsewhere
# can point at the same copy with LEXBILL_LEDES_SAMPLES.
_CANDIDATES = [Path(__file__).resolve().parents[4] / ".." / "shared" / "ledes-samples"]
if os.environ.get("LEXBILL_LEDES_SAMPLES"):
    _CANDIDATES.append(Path(os.environ["LEXBILL_LEDES_SAMPLES"]))
SAMPLES = next((p.resolve() for p in _CANDIDATES if p.is_dir()), None)


def sample(name: str) -> bytes:
    if SAMPLES is None:
        pytest.skip(f"the LEDES samples are absent (looked in {', '.join(str(p) for p in _CANDIDATES)})")
    return (SAMPLES / name).read_bytes()


def sample_names() -> list[str]:
    return sorted(p.name for p in SAMPLES.glob("*.txt")) if SAMPLES else []


LEX_98B_GOOD = "Lexitree-Labs_LEDES__test_data_ledes1998b_good.txt"
LEX_98B_EAGER = "Lexitree-Labs_LEDES__test_data_ledes1998b_eager_bad.txt"
LEX_98B_GREEDY = "Lexitree-Labs_LEDES__test_data_ledes1998b_greedy_bad.txt"
LEX_BI_GOOD = "Lexitree-Labs_LEDES__test_data_ledes98bi_good.txt"
LEX_BI_EAGER = "Lexitree-Labs_LEDES__test_data_ledes98bi_eager_bad.txt"
LEX_BI_GREEDY = "Lexitree-Labs_LEDES__test_data_ledes98bi_greedy_bad.txt"
TB_98B = "travisbashor_ledes-parser__tests_data_ledes_98B.txt"
TB_NOTEBOOK = "travisbashor_ledes-parser__notebooks_ledes_98B_data_ledes_98B.txt"
TB_BI = "travisbashor_ledes-parser__tests_data_ledes_98BI.txt"
RL = "RobertoMalatesta_rledes__test.txt"
RL_BAD = "RobertoMalatesta_rledes__test_bad.txt"
MW = "mikewagner_ledes_parser__spec_fixtures_ledes.txt"
MW_SINGLE = "mikewagner_ledes_parser__spec_fixtures_ledes_single_line_item.txt"
MW_FORMAT = "mikewagner_ledes_parser__spec_fixtures_ledes_with_invalid_format.txt"
MW_HEADERS = "mikewagner_ledes_parser__spec_fixtures_ledes_with_invalid_headers.txt"

# A fee line and an expense line of one invoice: 2 h x 350 - 70 = 630, 1 x 24.95 = 24.95, total 654.95.
FEE = {
    "INVOICE_DATE": "20260131", "INVOICE_NUMBER": "INV-1", "CLIENT_ID": "ACME", "LAW_FIRM_MATTER_ID": "ACME-001",
    "INVOICE_TOTAL": "654.95", "BILLING_START_DATE": "20260101", "BILLING_END_DATE": "20260131",
    "INVOICE_DESCRIPTION": "Services", "LINE_ITEM_NUMBER": "1", "EXP/FEE/INV_ADJ_TYPE": "F",
    "LINE_ITEM_NUMBER_OF_UNITS": "2.0", "LINE_ITEM_ADJUSTMENT_AMOUNT": "-70", "LINE_ITEM_TOTAL": "630",
    "LINE_ITEM_DATE": "20260115", "LINE_ITEM_TASK_CODE": "L510", "LINE_ITEM_EXPENSE_CODE": "",
    "LINE_ITEM_ACTIVITY_CODE": "A102", "TIMEKEEPER_ID": "JD", "LINE_ITEM_DESCRIPTION": "Research",
    "LAW_FIRM_ID": "24-6437381", "LINE_ITEM_UNIT_COST": "350", "TIMEKEEPER_NAME": "Doe, Jane",
    "TIMEKEEPER_CLASSIFICATION": "PARTNR", "CLIENT_MATTER_ID": "C-9",
}
EXPENSE = {**FEE, "LINE_ITEM_NUMBER": "2", "EXP/FEE/INV_ADJ_TYPE": "E", "LINE_ITEM_NUMBER_OF_UNITS": "1",
           "LINE_ITEM_ADJUSTMENT_AMOUNT": "0", "LINE_ITEM_TOTAL": "24.95", "LINE_ITEM_TASK_CODE": "",
           "LINE_ITEM_EXPENSE_CODE": "E111", "LINE_ITEM_ACTIVITY_CODE": "", "TIMEKEEPER_ID": "",
           "LINE_ITEM_DESCRIPTION": "Meals", "LINE_ITEM_UNIT_COST": "24.95", "TIMEKEEPER_NAME": "",
           "TIMEKEEPER_CLASSIFICATION": ""}
# 98BI: the fee line with 20% VAT on 630 = 126 (total 756) and the expense line untaxed; total 780.95.
BI_EXTRA = {
    "PO_NUMBER": "", "CLIENT_TAX_ID": "", "MATTER_NAME": "Acme v. Roe", "INVOICE_TAX_TOTAL": "126",
    "INVOICE_NET_TOTAL": "654.95", "INVOICE_CURRENCY": "GBP", "TIMEKEEPER_LAST_NAME": "Doe",
    "TIMEKEEPER_FIRST_NAME": "Jane", "ACCOUNT_TYPE": "O", "LAW_FIRM_NAME": "Doe LLP", "LAW_FIRM_ADDRESS_1": "1 Strand",
    "LAW_FIRM_ADDRESS_2": "", "LAW_FIRM_CITY": "London", "LAW_FIRM_STATEorREGION": "", "LAW_FIRM_POSTCODE": "WC2",
    "LAW_FIRM_COUNTRY": "GBR", "CLIENT_NAME": "Acme", "CLIENT_ADDRESS_1": "1 Main St", "CLIENT_ADDRESS_2": "",
    "CLIENT_CITY": "New York", "CLIENT_STATEorREGION": "NY", "CLIENT_POSTCODE": "10036", "CLIENT_COUNTRY": "USA",
    "LINE_ITEM_TAX_RATE": "0.2", "LINE_ITEM_TAX_TOTAL": "126", "LINE_ITEM_TAX_TYPE": "VAT",
    "INVOICE_REPORTED_TAX_TOTAL": "126", "INVOICE_TAX_CURRENCY": "GBP",
}
BI_FEE = {**FEE, **BI_EXTRA, "INVOICE_TOTAL": "780.95", "LINE_ITEM_TOTAL": "756"}
BI_EXPENSE = {**EXPENSE, **BI_EXTRA, "INVOICE_TOTAL": "780.95", "TIMEKEEPER_LAST_NAME": "",
              "TIMEKEEPER_FIRST_NAME": "", "LINE_ITEM_TAX_RATE": "0", "LINE_ITEM_TAX_TOTAL": "0"}


def ledes(*lines: dict[str, str], fmt: str = "LEDES1998B", newline: str = "\n") -> str:
    """A LEDES file of `fmt` holding `lines` (field name -> value)."""
    names = FIELDS_98BI if fmt == FORMAT_98BI else FIELDS_1998B
    rows = [f"{fmt}[]", "|".join(names) + "[]"]
    rows += ["|".join(line[n] for n in names) + "[]" for line in lines]
    return newline.join(rows) + newline


def codes(findings) -> list[tuple[int, str | None, str]]:  # type: ignore[no-untyped-def]
    return [(f.line, f.field, f.code) for f in findings]


def errors(findings) -> list[tuple[int, str | None, str]]:  # type: ignore[no-untyped-def]
    return [(f.line, f.field, f.code) for f in findings if f.severity == "error"]
