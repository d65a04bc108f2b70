"""One minimal hand-made file per rule: the clean file passes, and each change yields exactly its finding."""

import pytest

from lexbill.ebilling.ledes.validator import has_errors, validate

from .ledes_fixtures import BI_EXPENSE, BI_FEE, EXPENSE, FEE, codes, errors, ledes

BI = "LEDES98BI V2"


def test_the_hand_made_files_are_clean():
    assert validate(ledes(FEE, EXPENSE)) == []
    assert validate(ledes(BI_FEE, BI_EXPENSE, fmt=BI)) == []
    assert validate(ledes(FEE, EXPENSE).replace("\n", "")) == []


def test_an_empty_file():
    assert codes(validate(b"")) == [(1, None, "not_ledes")]


def test_a_file_with_only_format_and_header():
    assert codes(validate(ledes())) == [(2, None, "no_line_items")]


def test_a_missing_terminator_on_a_line():
    text = ledes(FEE, EXPENSE).replace("C-9[]\n", "C-9\n", 1)
    assert codes(validate(text)) == [(3, None, "terminator")]


def test_a_wrong_field_count_skips_the_field_checks_of_that_line():
    text = ledes(FEE, EXPENSE).replace("|C-9[]", "|C-9|extra[]", 1)
    findings = validate(text)
    assert errors(findings)[0] == (3, None, "field_count")
    assert findings[0].message == "25 fields, a LEDES1998B line has 24"


def test_a_header_with_a_wrong_name_says_which_column():
    text = ledes(FEE, EXPENSE).replace("|LINE_ITEM_UNIT_COST|", "|UNIT_COST|")
    [finding] = validate(text)
    assert (finding.line, finding.code) == (2, "header")
    assert finding.message.endswith("column 21 is 'UNIT_COST', expected 'LINE_ITEM_UNIT_COST'")


def test_a_blank_line_between_records_is_a_warning_and_trailing_ones_are_ignored():
    text = ledes(FEE, EXPENSE).replace("C-9[]\n", "C-9[]\n\n", 1) + " \n\n"
    assert [(f.line, f.code, f.severity) for f in validate(text)] == [(4, "blank_line", "warning")]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("INVOICE_DATE", "2026-01-31", "date_format"),
    ("LINE_ITEM_DATE", "20260229", "date_format"),
    ("LINE_ITEM_UNIT_COST", "350.00001", "number_format"),
    ("LINE_ITEM_UNIT_COST", "1,350", "number_format"),
    ("INVOICE_NUMBER", "X" * 21, "too_long"),
    ("TIMEKEEPER_NAME", "N" * 31, "too_long"),
    ("EXP/FEE/INV_ADJ_TYPE", "X", "line_type"),
    ("LINE_ITEM_TASK_CODE", "L51", "utbms_code"),
    ("LINE_ITEM_ACTIVITY_CODE", "B102", "utbms_code"),
    ("TIMEKEEPER_CLASSIFICATION", "PARTNER", "classification"),
    ("LAW_FIRM_ID", "", "required"),
    ("TIMEKEEPER_ID", "", "required"),
])
def test_a_bad_fee_field_is_named(field, value, code):
    if field.startswith("INVOICE_"):  # invoice-level: the same on both lines, or that is a finding of its own
        found = errors(validate(ledes({**FEE, field: value}, {**EXPENSE, field: value})))
        assert found == [(3, field, code), (4, field, code)]
    else:
        assert errors(validate(ledes({**FEE, field: value}, EXPENSE))) == [(3, field, code)]


def test_a_unit_cost_over_ten_integer_digits_is_too_long_and_the_line_no_longer_adds_up():
    found = errors(validate(ledes({**FEE, "LINE_ITEM_UNIT_COST": "12345678901"}, EXPENSE)))
    assert found == [(3, "LINE_ITEM_UNIT_COST", "too_long"), (3, "LINE_ITEM_TOTAL", "line_total")]


def test_old_and_2014_classifications_are_both_accepted():
    for value in ("PT", "AS", "PARTNR", "PARALG"):
        assert validate(ledes({**FEE, "TIMEKEEPER_CLASSIFICATION": value}, EXPENSE)) == []


def test_negative_units_are_refused():
    line = {**FEE, "LINE_ITEM_NUMBER_OF_UNITS": "-2", "LINE_ITEM_ADJUSTMENT_AMOUNT": "1330"}
    assert errors(validate(ledes(line, EXPENSE))) == [(3, "LINE_ITEM_NUMBER_OF_UNITS", "negative_units")]


def test_an_expense_code_of_the_2013_x_set_is_accepted_and_a_missing_one_warns():
    assert validate(ledes(FEE, {**EXPENSE, "LINE_ITEM_EXPENSE_CODE": "X101"})) == []
    findings = validate(ledes(FEE, {**EXPENSE, "LINE_ITEM_EXPENSE_CODE": ""}))
    assert [(f.line, f.field, f.code, f.severity) for f in findings] == [
        (4, "LINE_ITEM_EXPENSE_CODE", "code_missing", "warning")]


def test_non_ascii_is_a_warning_not_an_error():
    findings = validate(ledes({**FEE, "LINE_ITEM_DESCRIPTION": "Caf\u00e9"}, EXPENSE).encode("cp1252"))
    assert [(f.line, f.field, f.code, f.severity) for f in findings] == [
        (3, "LINE_ITEM_DESCRIPTION", "non_ascii", "warning")]


def test_line_arithmetic_is_exact():
    # 2 x 350 - 70 = 630, so 630.01 is off by a cent.
    [finding] = validate(ledes({**FEE, "LINE_ITEM_TOTAL": "630.01", "INVOICE_TOTAL": "654.96"},
                               {**EXPENSE, "INVOICE_TOTAL": "654.96"}))
    assert (finding.line, finding.field, finding.code) == (3, "LINE_ITEM_TOTAL", "line_total")
    assert finding.message == "630.01 but 350 x 2 + -70 = 630"


def test_an_invoice_level_adjustment_balances_with_an_empty_unit_cost():
    discount = {**EXPENSE, "LINE_ITEM_NUMBER": "3", "EXP/FEE/INV_ADJ_TYPE": "IF", "LINE_ITEM_NUMBER_OF_UNITS": "",
                "LINE_ITEM_UNIT_COST": "", "LINE_ITEM_ADJUSTMENT_AMOUNT": "-54.95", "LINE_ITEM_TOTAL": "-54.95",
                "LINE_ITEM_EXPENSE_CODE": ""}
    total = {"INVOICE_TOTAL": "600"}
    assert validate(ledes({**FEE, **total}, {**EXPENSE, **total}, {**discount, **total})) == []


def test_invoice_total_must_equal_the_sum_of_its_lines():
    total = {"INVOICE_TOTAL": "654.94"}
    [finding] = validate(ledes({**FEE, **total}, {**EXPENSE, **total}))
    assert (finding.line, finding.field, finding.code) == (3, "INVOICE_TOTAL", "invoice_total")
    assert finding.message == "invoice INV-1: INVOICE_TOTAL 654.94 but its 2 line totals sum to 654.95"


def test_invoice_total_must_be_the_same_on_every_line():
    assert errors(validate(ledes(FEE, {**EXPENSE, "INVOICE_TOTAL": "654.950"}))) == []  # same number
    found = errors(validate(ledes(FEE, {**EXPENSE, "INVOICE_TOTAL": "24.95"})))
    assert found == [(4, "INVOICE_TOTAL", "invoice_value_differs")]


def test_duplicate_line_numbers_and_differing_invoice_dates():
    found = errors(validate(ledes(FEE, {**EXPENSE, "LINE_ITEM_NUMBER": "1", "INVOICE_DATE": "20260201"})))
    assert found == [(4, "INVOICE_DATE", "invoice_date_differs"), (4, "LINE_ITEM_NUMBER", "duplicate_line_number")]


def test_the_same_line_number_in_two_invoices_is_fine():
    other = {**EXPENSE, "INVOICE_NUMBER": "INV-2", "LINE_ITEM_NUMBER": "1", "INVOICE_TOTAL": "24.95"}
    assert validate(ledes({**FEE, "INVOICE_TOTAL": "630"}, other)) == []


def test_a_line_date_outside_the_period_warns_and_a_reversed_period_is_an_error():
    findings = validate(ledes({**FEE, "LINE_ITEM_DATE": "20260201"}, EXPENSE))
    assert [(f.line, f.field, f.code, f.severity) for f in findings] == [
        (3, "LINE_ITEM_DATE", "date_outside_period", "warning")]
    assert not has_errors(findings)
    reversed_period = {"BILLING_START_DATE": "20260201", "BILLING_END_DATE": "20260101"}
    found = errors(validate(ledes({**FEE, **reversed_period}, {**EXPENSE, **reversed_period})))
    assert found == [(3, "BILLING_END_DATE", "period_reversed"), (4, "BILLING_END_DATE", "period_reversed")]


def test_98bi_line_total_includes_the_tax():
    [finding] = validate(ledes({**BI_FEE, "LINE_ITEM_TAX_TOTAL": "125", "INVOICE_TAX_TOTAL": "125",
                                "INVOICE_NET_TOTAL": "655.95"},
                               {**BI_EXPENSE, "INVOICE_TAX_TOTAL": "125", "INVOICE_NET_TOTAL": "655.95"}, fmt=BI))
    assert (finding.line, finding.field, finding.code) == (3, "LINE_ITEM_TOTAL", "line_total")
    assert finding.message == "756 but 350 x 2 + -70 + tax 125 = 755"


def test_98bi_invoice_tax_and_net_totals():
    off = {"INVOICE_TAX_TOTAL": "120", "INVOICE_NET_TOTAL": "654.95"}
    found = errors(validate(ledes({**BI_FEE, **off}, {**BI_EXPENSE, **off}, fmt=BI)))
    assert found == [(3, "INVOICE_TAX_TOTAL", "invoice_tax_total"), (3, "INVOICE_NET_TOTAL", "invoice_net_total")]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("LINE_ITEM_TAX_RATE", "20", "tax_rate"),
    ("INVOICE_CURRENCY", "gbp", "code_format"),
    ("ACCOUNT_TYPE", "X", "code_format"),
    ("TIMEKEEPER_LAST_NAME", "", "required"),
    ("INVOICE_NET_TOTAL", "", "required"),
    ("LAW_FIRM_POSTCODE", "P" * 21, "too_long"),
])
def test_a_bad_98bi_field_is_named(field, value, code):
    found = errors(validate(ledes({**BI_FEE, field: value}, BI_EXPENSE, fmt=BI)))
    assert (3, field, code) in found


def test_98bi_law_firm_id_may_hold_three_identifiers():
    ids = {"LAW_FIRM_ID": "24-6437381~GB123456789~DE1234567"}
    assert validate(ledes({**BI_FEE, **ids}, {**BI_EXPENSE, **ids}, fmt=BI)) == []


def test_a_wrong_first_line_still_gets_the_lines_checked():
    text = ledes({**FEE, "LINE_ITEM_TOTAL": "1"}, EXPENSE).replace("LEDES1998B[]", "LEDES1998[]", 1)
    found = errors(validate(text))
    assert (1, None, "format_line") in found and (3, "LINE_ITEM_TOTAL", "line_total") in found


def test_garbage_never_raises():
    for data in (b"\x00\xff\xfe", "[]|[]||[][]", "LEDES1998B[]", "|" * 100, b"LEDES98BI V2[]\r\n" + b"|" * 51):
        assert has_errors(validate(data))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("LINE_ITEM_TASK_CODE", "L170", "L170 is in no known UTBMS code set"),
    ("LINE_ITEM_TASK_CODE", "A101", "A101 is an activity code, not one for this field"),
    ("LINE_ITEM_ACTIVITY_CODE", "A112", "A112 is in no known UTBMS code set"),
])
def test_a_code_in_no_known_set_is_a_warning(field, value, message):
    found = [(f.line, f.field, f.code, f.severity, f.message) for f in validate(ledes({**FEE, field: value}, EXPENSE))]
    assert found == [(3, field, "unknown_code", "warning", message)]


def test_an_unknown_expense_code_is_a_warning_and_known_codes_are_silent():
    found = validate(ledes(FEE, {**EXPENSE, "LINE_ITEM_EXPENSE_CODE": "E125"}))
    assert [(f.line, f.field, f.code, f.severity) for f in found] == [
        (4, "LINE_ITEM_EXPENSE_CODE", "unknown_code", "warning")]
    assert validate(ledes({**FEE, "LINE_ITEM_TASK_CODE": "B110"}, EXPENSE)) == []
