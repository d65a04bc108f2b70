"""A file that is not LEDES at all gets one `not_ledes` finding saying why (it used to get one finding per
field of every line: 854 for a CSV); a broken LEDES file still gets its real findings."""

from pathlib import Path

import pytest

from lexbill.ebilling.ledes.validator import validate

BANK = sorted(p for p in Path("/work/shared/bank-samples").iterdir() if p.suffix in (".xml", ".ofx"))
LEDES = sorted(Path("/work/shared/ledes-samples").glob("*.txt"))


@pytest.mark.parametrize("path", BANK, ids=lambda p: p.name)
def test_a_bank_statement_is_one_not_ledes_finding(path):
    findings = validate(path.read_bytes())
    assert [(f.code, f.severity) for f in findings] == [("not_ledes", "error")]
    assert findings[0].message.startswith("not a LEDES file (")


@pytest.mark.parametrize("path", LEDES, ids=lambda p: p.name)
def test_every_ledes_sample_good_or_broken_is_checked_as_ledes(path):
    assert "not_ledes" not in {f.code for f in validate(path.read_bytes())}


def test_the_greedy_bad_sample_keeps_its_findings():
    findings = validate((Path("/work/shared/ledes-samples") / "Lexitree-Labs_LEDES__test_data_ledes1998b_greedy_bad.txt")
                        .read_bytes())
    assert (findings[0].line, findings[0].code) == (1, "format_line") and len(findings) == 49


@pytest.mark.parametrize(("data", "message"), [
    (b"", "not a LEDES file (the file is empty)"),
    (b" \r\n\r\n", "not a LEDES file (the file is empty)"),
    (b"%PDF-1.4\n", "not a LEDES file (it is a PDF file)"),
    (b"PK\x03\x04rest", "not a LEDES file (it is a ZIP archive (an XLSX or DOCX file?))"),
    (b"a\x00b", "not a LEDES file (it is binary, not text)"),
    ("code,name\nNEWCO,New Co\n",
     "not a LEDES file (its first line is 'code,name', not LEDES1998B[], LEDES98BI V2[] or an XML 2.1 document)"),
])
def test_why_a_file_is_not_ledes(data, message):
    assert [(f.line, f.code, f.message) for f in validate(data)] == [(1, "not_ledes", message)]
