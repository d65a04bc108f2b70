"""`lexbill ledes validate`: no database or firm needed, exit 0 when valid, 1 with every finding."""

import json
from pathlib import Path

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


def test_a_missing_file_is_a_usage_error_in_one_line(run, tmp_path):
    result = run("ledes", "validate", str(tmp_path / "nope.txt"))
    assert (result.exit_code, len(result.stderr.splitlines())) == (1, 1) and "does not exist" in result.stderr


SAMPLES = Path("/work/shared/ledes-samples")
BANK = Path("/work/shared/bank-samples")


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("time.csv", b"date,timekeeper,matter,hours\n2026-03-02,JD,ACME-001,1.5\n",
     "its first line is 'date,timekeeper,matter,hours', not LEDES1998B[], LEDES98BI V2[] or an XML 2.1 document"),
    ("invoice.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "it is a PDF file"),
    ("empty.txt", b"", "the file is empty"),
    ("notes.txt", b"Call the client about the March invoice.\nThen file the motion.\n",
     "its first line is 'Call the client about the March invoice.', not LEDES1998B[], LEDES98BI V2[] or an XML 2.1 "
     "document"),
    ("statement.ofx", (BANK / "jseutter_ofxparse__tests_fixtures_bank_medium.ofx").read_bytes(),
     "its first line is 'OFXHEADER:100', not LEDES1998B[], LEDES98BI V2[] or an XML 2.1 document"),
    ("camt053.xml", (BANK / "genkgo_camt__test_data_camt053.v8.xml").read_bytes(),
     "its root element is <Document>, not <ledesxmlebilling2.1>"),
])
def test_a_file_that_is_not_ledes_is_refused_in_one_line(run, write, name, data, reason):
    result = run("ledes", "validate", write(name, data))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"lexbill: error: {name} is not a LEDES file ({reason})\n")


def test_not_ledes_in_json_is_one_finding(run, write):
    result = run("ledes", "validate", write("time.csv", b"code,name\nNEWCO,New Co\n"), "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert (out["valid"], out["errors"], out["warnings"]) == (False, 1, 0)
    assert out["findings"] == [{"line": 1, "field": None, "code": "not_ledes", "severity": "error",
                                "message": "not a LEDES file (its first line is 'code,name', not LEDES1998B[], "
                                           "LEDES98BI V2[] or an XML 2.1 document)"}]


@pytest.mark.parametrize("name", [
    "Lexitree-Labs_LEDES__test_data_ledes1998b_greedy_bad.txt",  # LEDES1998BB[]
    "Lexitree-Labs_LEDES__test_data_ledes98bi_greedy_bad.txt",  # LEDES98BI V32[]
    "mikewagner_ledes_parser__spec_fixtures_ledes_with_invalid_format.txt",  # LEDES1998Z[]
    "RobertoMalatesta_rledes__test_bad.txt",  # line 1 empty, then the header
    "Lexitree-Labs_LEDES__test_data_ledes1998b_eager_bad.txt",
])
def test_broken_ledes_files_still_list_their_real_findings(run, name):
    result = run("ledes", "validate", str(SAMPLES / name))
    assert result.exit_code == 1 and result.stderr == ""
    assert "not_ledes" not in result.stdout and len(result.stdout.splitlines()) >= 1
