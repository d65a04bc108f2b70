"""`lexbill ledes validate`: no database or firm needed, exit 0 when valid, 1 with every finding."""

import json

import pytest

from .ledes_fixtures import EXPENSE, FEE, LEX_98B_EAGER, LEX_98B_GOOD, TB_98B, ledes, sample


@pytest.fixture
def write(tmp_path):
    def make(name, data):
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)

    return make


def test_a_valid_file_exits_0(run, write):
    result = run("ledes", "validate", write("ok.txt", ledes(FEE, EXPENSE)))
    assert (result.exit_code, result.stdout) == (0, "ok.txt: valid\n")


def test_the_2014_sample_is_valid_and_shows_its_warning(run, write):
    result = run("ledes", "validate", write("good.txt", sample(LEX_98B_GOOD)))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "line 3: LINE_ITEM_DESCRIPTION: warning: non-ASCII character '\u2019' (U+2019); LEDES is ASCII [non_ascii]",
        "good.txt: valid (1 warnings)",
    ]


def test_eager_bad_exits_1_naming_line_3_and_the_unit_cost(run, write):
    result = run("ledes", "validate", write("bad.txt", sample(LEX_98B_EAGER)))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "line 3: LINE_ITEM_UNIT_COST: LINE_ITEM_UNIT_COST is required on an E line [required]")


def test_every_finding_one_per_line(run, write):
    result = run("ledes", "validate", write("tb.txt", sample(TB_98B)))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "line 8: INVOICE_TOTAL: invoice 96543: INVOICE_TOTAL 1250 but its 2 line totals sum to 2500 [invoice_total]",
        "line 9: LINE_ITEM_NUMBER: line item 6 of invoice 96543 already appears on line 8 [duplicate_line_number]",
    ]


def test_json_output(run, write):
    result = run("ledes", "validate", write("tb.txt", sample(TB_98B)), "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert (out["valid"], out["errors"], out["warnings"]) == (False, 2, 0)
    assert out["findings"][1] == {"line": 9, "field": "LINE_ITEM_NUMBER", "code": "duplicate_line_number",
                                  "message": "line item 6 of invoice 96543 already appears on line 8",
                                  "severity": "error"}
    ok = run("ledes", "validate", write("ok.txt", ledes(FEE, EXPENSE)), "--json")
    assert (ok.exit_code, json.loads(ok.stdout)["valid"], json.loads(ok.stdout)["findings"]) == (0, True, [])


def test_a_missing_file_is_a_usage_error(run, tmp_path):
    assert run("ledes", "validate", str(tmp_path / "nope.txt")).exit_code == 2
