"""The external samples (../shared/ledes-samples/README.md says what each is): good ones pass, bad ones are
rejected for the reasons their authors give."""

import pytest

from lexbill.ebilling.ledes.validator import has_errors, validate

from .ledes_fixtures import (
    LEX_98B_EAGER,
    LEX_98B_GOOD,
    LEX_98B_GREEDY,
    LEX_BI_EAGER,
    LEX_BI_GOOD,
    LEX_BI_GREEDY,
    MW,
    MW_FORMAT,
    MW_HEADERS,
    MW_SINGLE,
    RL,
    RL_BAD,
    TB_98B,
    TB_BI,
    TB_NOTEBOOK,
    codes,
    errors,
    sample,
    sample_names,
)

# Every sample's complete list of errors (line, field, code). A new sample in the folder fails the test below
# until it is listed here.
EXPECTED_ERRORS = {
    LEX_98B_GOOD: [],
    MW_SINGLE: [],
    # The lines are a subset of the 98BI sample, so only the invoice sums fail.
    LEX_BI_GOOD: [(3, "INVOICE_TOTAL", "invoice_total"), (3, "INVOICE_TAX_TOTAL", "invoice_tax_total"),
                  (3, "INVOICE_NET_TOTAL", "invoice_net_total")],
    # Line totals include tax and sum to INVOICE_TOTAL, but the invoice tax and net totals are off.
    TB_BI: [(3, "INVOICE_TAX_TOTAL", "invoice_tax_total"), (3, "INVOICE_NET_TOTAL", "invoice_net_total")],
    # Pre-2014 sample: the retainer line carries INVOICE_TOTAL 1250, the others 2934.45 (Legal Tracker 007).
    RL: [(8, "INVOICE_TOTAL", "invoice_value_differs")],
    MW: [(8, "INVOICE_TOTAL", "invoice_value_differs")],
    RL_BAD: [(1, None, "format_line"), (8, "INVOICE_TOTAL", "invoice_value_differs")],
    MW_FORMAT: [(1, None, "format_line"), (8, "INVOICE_TOTAL", "invoice_value_differs")],
    MW_HEADERS: [(2, None, "header"), (8, "INVOICE_TOTAL", "invoice_value_differs")],
    LEX_98B_EAGER: [(3, "LINE_ITEM_UNIT_COST", "required")],
    TB_98B: [(8, "INVOICE_TOTAL", "invoice_total"), (9, "LINE_ITEM_NUMBER", "duplicate_line_number")],
    TB_NOTEBOOK: [(3, "INVOICE_TOTAL", "invoice_total"), (8, "LINE_ITEM_NUMBER", "duplicate_line_number")],
    LEX_BI_EAGER: [(3, "TIMEKEEPER_NAME", "required"), (3, "TIMEKEEPER_LAST_NAME", "required"),
                   (3, "TIMEKEEPER_FIRST_NAME", "required"), (3, "INVOICE_TOTAL", "invoice_total"),
                   (3, "INVOICE_TAX_TOTAL", "invoice_tax_total"), (3, "INVOICE_NET_TOTAL", "invoice_net_total")],
}


def test_every_sample_in_the_folder_is_covered():
    names = sample_names() or pytest.skip("the LEDES samples are absent")
    assert set(names) - {LEX_98B_GREEDY, LEX_BI_GREEDY} == set(EXPECTED_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_each_sample_has_exactly_the_errors_its_readme_gives(name):
    assert errors(validate(sample(name))) == EXPECTED_ERRORS[name]


def test_the_2014_sample_is_valid_with_one_warning_for_its_curly_apostrophe():
    findings = validate(sample(LEX_98B_GOOD))
    assert not has_errors(findings)
    assert [(f.line, f.field, f.code, f.severity) for f in findings] == [
        (3, "LINE_ITEM_DESCRIPTION", "non_ascii", "warning")]
    assert "U+2019" in findings[0].message


def test_eager_bad_1998b_names_line_3_and_the_unit_cost():
    [error] = [f for f in validate(sample(LEX_98B_EAGER)) if f.severity == "error"]
    assert str(error) == "line 3: LINE_ITEM_UNIT_COST: LINE_ITEM_UNIT_COST is required on an E line [required]"


def test_travisbashor_totals_and_duplicates_say_what_is_wrong():
    messages = [str(f) for f in validate(sample(TB_98B))]
    assert messages == [
        "line 8: INVOICE_TOTAL: invoice 96543: INVOICE_TOTAL 1250 but its 2 line totals sum to 2500 [invoice_total]",
        "line 9: LINE_ITEM_NUMBER: line item 6 of invoice 96543 already appears on line 8 [duplicate_line_number]",
    ]
    notebook = [str(f) for f in validate(sample(TB_NOTEBOOK)) if f.code == "invoice_total"]
    assert notebook == ["line 3: INVOICE_TOTAL: invoice 96542: INVOICE_TOTAL 1684.45 but its 6 line totals sum to "
                        "1973.95 [invoice_total]"]


def test_98bi_good_sample_arithmetic_findings_carry_the_numbers():
    messages = [f.message for f in validate(sample(LEX_BI_GOOD))]
    assert messages == [
        "invoice 96542: INVOICE_TOTAL 1869.97 but its 3 line totals sum to 1555.52",
        "invoice 96542: INVOICE_TAX_TOTAL 182.52 but the line taxes sum to 185.52",
        "invoice 96542: INVOICE_NET_TOTAL 1781.16 but INVOICE_TOTAL - INVOICE_TAX_TOTAL = 1687.45",
    ]


GREEDY_1998B_LINE_FIELDS = {
    "INVOICE_DATE", "INVOICE_NUMBER", "CLIENT_ID", "LAW_FIRM_MATTER_ID", "INVOICE_TOTAL", "BILLING_START_DATE",
    "BILLING_END_DATE", "LINE_ITEM_NUMBER", "EXP/FEE/INV_ADJ_TYPE", "LINE_ITEM_ADJUSTMENT_AMOUNT",
    "LINE_ITEM_TOTAL", "LINE_ITEM_DATE", "LINE_ITEM_TASK_CODE", "LINE_ITEM_EXPENSE_CODE", "LINE_ITEM_ACTIVITY_CODE",
    "TIMEKEEPER_ID", "LAW_FIRM_ID", "TIMEKEEPER_NAME", "TIMEKEEPER_CLASSIFICATION", "CLIENT_MATTER_ID",
}


def test_greedy_bad_1998b_every_wrong_field_is_reported():
    findings = validate(sample(LEX_98B_GREEDY))
    assert codes(findings)[:2] == [(1, None, "format_line"), (2, None, "header")]
    for line in (3, 4):
        assert {f.field for f in findings if f.line == line} == GREEDY_1998B_LINE_FIELDS
    assert (4, "LINE_ITEM_NUMBER", "duplicate_line_number") in codes(findings)
    assert (3, "INVOICE_DATE", "date_format") in codes(findings)
    assert (3, "INVOICE_TOTAL", "number_format") in codes(findings)


def test_greedy_bad_98bi_rejects_nearly_every_field():
    findings = validate(sample(LEX_BI_GREEDY))
    assert codes(findings)[:2] == [(1, None, "format_line"), (2, None, "header")]
    line3 = {f.field for f in findings if f.line == 3}
    assert {"LAW_FIRM_COUNTRY", "CLIENT_COUNTRY", "INVOICE_TAX_CURRENCY", "ACCOUNT_TYPE", "LINE_ITEM_TAX_RATE",
            "LINE_ITEM_TAX_TOTAL", "INVOICE_NET_TOTAL", "MATTER_NAME", "PO_NUMBER"} <= line3
    assert len(line3) >= 40
