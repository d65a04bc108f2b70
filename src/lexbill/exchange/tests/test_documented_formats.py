"""docs/csv-formats.md documents exactly the columns the code reads and writes, with example rows that import."""

import re
from pathlib import Path

import pytest

from lexbill.exchange.columns import KINDS, column_names

DOC = Path(__file__).resolve().parents[4] / "docs" / "csv-formats.md"


def _section(kind: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {kind}\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, f"no section for {kind}"
    return match.group(1)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_documented_with_its_columns_and_an_example(kind):
    section = _section(kind)
    documented = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| column", "|---")):
            documented += [c.strip() for c in line.split("|")[1].split(",")]
    assert documented == column_names(kind)
    example = re.search(r"```\n(.*?)\n(.*?)\n```", section, flags=re.S)
    assert example.group(1) == ",".join(column_names(kind))
    assert len(example.group(2).split(",")) == len(column_names(kind))
    required = {c.name for c in KINDS[kind] if c.required}
    assert required == {line.split("|")[1].strip() for line in section.splitlines()
                        if line.startswith("| ") and line.split("|")[2].strip() == "yes"}
