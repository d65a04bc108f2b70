"""docs/access.md's role table and lexbill.access.RULES say the same thing, row by row."""

from __future__ import annotations

import re
from pathlib import Path

from lexbill.access import RULES, Scope

DOC = Path(__file__).resolve().parents[1] / "docs" / "access.md"
ROLE_COLUMNS = ("admin", "billing", "attorney", "accounting")


def _scope(cell: str) -> Scope:
    word = cell.strip().split(" ")[0]
    return {"all": Scope.ALL, "own": Scope.OWN, "—": Scope.NONE}[word]


def documented_rules() -> dict[str, dict[str, Scope]]:
    """action -> role -> scope, read from the table under "## The table"."""
    text = DOC.read_text(encoding="utf-8").split("## The table", 1)[1].split("\n## ", 1)[0]
    rules: dict[str, dict[str, Scope]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        named = re.search(r"\(`([a-z_.]+)`\)", cells[0]) if len(cells) == 5 else None
        if named is None or cells[1] == "admin":  # the header names the roles
            continue
        name = named.group(1)
        if "." in name:  # one action, one scope per role
            rules[name] = {role: _scope(cell) for role, cell in zip(ROLE_COLUMNS, cells[1:], strict=True)}
            continue
        for index, verb in enumerate(("view", "change")):  # "read / change"
            rules[f"{name}.{verb}"] = {role: _scope(cell.split("/")[index])
                                       for role, cell in zip(ROLE_COLUMNS, cells[1:], strict=True)}
    return rules


def test_the_documented_table_is_the_policy():
    coded = {action: {role: by_role[role] for role in ROLE_COLUMNS} for action, by_role in RULES.items()}

    assert documented_rules() == coded


def test_no_role_but_staff_has_a_rule():
    """The client role sees no staff record: it has no column, and no rule names it."""
    assert {role for by_role in RULES.values() for role in by_role} == set(ROLE_COLUMNS)
