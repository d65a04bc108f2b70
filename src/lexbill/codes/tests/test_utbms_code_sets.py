"""The UTBMS code sets ship as package data and cover the published ranges exactly."""

from lexbill.codes.loader import SET_NAMES, code_sets, describe, field_of, lookup


def _codes(name: str) -> list[str]:
    return [c.code for c in code_sets()[name]]


def test_every_set_loads_from_its_data_file() -> None:
    assert tuple(code_sets()) == SET_NAMES
    assert {name: len(codes) for name, codes in code_sets().items()} == {
        "litigation": 34, "counseling": 4, "bankruptcy": 25, "project": 4, "activity": 11, "expense": 24}


def test_litigation_has_five_phases_and_29_tasks() -> None:
    litigation = code_sets()["litigation"]
    assert [c.code for c in litigation if c.is_phase] == ["L100", "L200", "L300", "L400", "L500"]
    tasks = [c.code for c in litigation if not c.is_phase]
    assert len(tasks) == 29
    assert tasks[0] == "L110" and tasks[-1] == "L530"
    for absent in ("L170", "L180", "L270", "L360", "L370", "L380", "L480", "L540"):
        assert lookup(absent) is None


def test_activity_and_expense_cover_their_ranges_without_gaps() -> None:
    assert _codes("activity") == [f"A{n}" for n in range(101, 112)]
    assert _codes("expense") == [f"E{n}" for n in range(101, 125)]
    assert lookup("A112") is None and lookup("E125") is None and lookup("E100") is None


def test_other_sets_hold_what_the_reference_verifies() -> None:
    assert _codes("counseling") == ["C100", "C200", "C300", "C400"]
    assert _codes("project") == ["P100", "P200", "P210", "P300"]
    assert [c.code for c in code_sets()["bankruptcy"] if c.is_phase] == ["B100", "B200", "B300", "B400"]
    assert "B185" in _codes("bankruptcy") and "B195" in _codes("bankruptcy")


def test_lookup_and_describe_exact_names() -> None:
    code = lookup(" l110 ")
    assert code is not None
    assert (code.code, code.name, code.set_name, code.is_phase, code.field) == (
        "L110", "Fact Investigation/Development", "litigation", False, "task_code")
    assert describe("A106") == "A106 Communicate (with client)"
    assert describe("E124") == "E124 Other"
    assert describe("B140") == "B140 Relief from Stay/Adequate Protection Proceedings"
    assert describe("l100") == "L100 Case Assessment, Development and Administration"
    assert describe("zz999") == "ZZ999"
    assert lookup("") is None


def test_each_set_fills_one_field() -> None:
    assert {name: field_of(name) for name in SET_NAMES} == {
        "litigation": "task_code", "counseling": "task_code", "bankruptcy": "task_code", "project": "task_code",
        "activity": "activity_code", "expense": "expense_code"}


def test_no_code_is_in_two_sets() -> None:
    every = [c.code for codes in code_sets().values() for c in codes]
    assert len(every) == len(set(every)) == 102
