"""Migrations core 0003/0004: the firm's free-text address moves into the structured fields and back."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

move = import_module("lexbill.core.migrations.0003_firm_address_fields")

BEFORE = ("core", "0002_firm_credit_note_number_format_and_more")
AFTER = ("core", "0004_remove_firm_address")
EMPTY = {"address_line1": "", "address_line2": "", "city": "", "region": "", "postcode": "", "country": ""}


@pytest.mark.parametrize(("text", "parts"), [
    ("", {}),
    ("  \n \n", {}),
    ("1 Fleet Street", {"address_line1": "1 Fleet Street"}),
    ("100 Federal Street, Suite 1200\nBoston, MA 02110",
     {"address_line1": "100 Federal Street, Suite 1200", "city": "Boston", "region": "MA", "postcode": "02110",
      "country": "US"}),
    (" 1 Main St \r\n Floor 12 \n\n New York,NY 10001-2345 ",
     {"address_line1": "1 Main St", "address_line2": "Floor 12", "city": "New York", "region": "NY",
      "postcode": "10001-2345", "country": "US"}),
    ("1 Fleet Street\nTemple\nLondon EC4Y 1AA\nUnited Kingdom",
     {"address_line1": "1 Fleet Street", "address_line2": "Temple, London EC4Y 1AA, United Kingdom"}),
    # Not the last line, or not quite US style: kept as text in line 2.
    ("1 Main St\nBoston, MA 02110\nUSA", {"address_line1": "1 Main St", "address_line2": "Boston, MA 02110, USA"}),
    ("1 Main St\nBoston, Mass. 02110", {"address_line1": "1 Main St", "address_line2": "Boston, Mass. 02110"}),
    ("1 Main St\nBoston MA 02110", {"address_line1": "1 Main St", "address_line2": "Boston MA 02110"}),
    ("Boston, MA 02110", {"address_line1": "Boston, MA 02110"}),
])
def test_the_text_is_split_into_the_fields(text, parts):
    assert move.split_address(text) == {**EMPTY, **parts}


@pytest.mark.parametrize(("parts", "text"), [
    ({}, ""),
    ({"address_line1": "100 Federal Street, Suite 1200", "city": "Boston", "region": "MA", "postcode": "02110",
      "country": "US"}, "100 Federal Street, Suite 1200\nBoston, MA 02110"),
    ({"address_line1": "1 Fleet Street", "city": "London", "postcode": "EC4Y 1AA", "country": "GB"},
     "1 Fleet Street\nLondon, EC4Y 1AA\nGB"),
    ({"address_line2": "Floor 3", "region": "Bavaria"}, "Floor 3\nBavaria"),
])
def test_the_fields_are_joined_back_into_text(parts, text):
    assert move.join_address({**EMPTY, **parts}) == text


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def before_move(transactional_db):
    """The schema as it was before the move (firms with a free-text address); the latest one again after."""
    try:
        yield _migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _rows(apps, *fields):
    return list(apps.get_model("core", "Firm").objects.order_by("slug").values_list("slug", *fields))


def test_the_migration_moves_every_firms_address_and_back(before_move):
    firm = before_move.get_model("core", "Firm")
    firm.objects.create(name="A", slug="a", address="100 Federal Street, Suite 1200\nBoston, MA 02110")
    firm.objects.create(name="B", slug="b", address="1 Fleet Street\nTemple\nLondon EC4Y 1AA")
    firm.objects.create(name="C", slug="c", address="")

    after = _migrate(AFTER)

    fields = ("address_line1", "address_line2", "city", "region", "postcode", "country")
    assert _rows(after, *fields) == [
        ("a", "100 Federal Street, Suite 1200", "", "Boston", "MA", "02110", "US"),
        ("b", "1 Fleet Street", "Temple, London EC4Y 1AA", "", "", "", ""),
        ("c", "", "", "", "", "", ""),
    ]
    assert "address" not in {f.name for f in after.get_model("core", "Firm")._meta.get_fields()}

    back = _migrate(BEFORE)

    assert _rows(back, "address") == [
        ("a", "100 Federal Street, Suite 1200\nBoston, MA 02110"),
        ("b", "1 Fleet Street\nTemple, London EC4Y 1AA"),
        ("c", ""),
    ]


def test_an_address_too_long_for_its_field_stops_the_migration_and_loses_nothing(before_move):
    firm = before_move.get_model("core", "Firm")
    long_street = "1" + " Very Long Street Name" * 10  # 221 characters: more than address_line1 holds
    firm.objects.create(name="A", slug="a", address=f"{long_street}\nBoston, MA 02110")

    with pytest.raises(RuntimeError, match=r"^firm a: address_line1 would be 221 characters long \(at most 200\); "
                                           r"shorten the firm's address, then migrate again$"):
        _migrate(AFTER)

    assert _rows(_migrate(BEFORE), "address") == [("a", f"{long_street}\nBoston, MA 02110")]
    # Once shortened, it moves.
    firm.objects.filter(slug="a").update(address="1 Very Long Street\nBoston, MA 02110")
    assert _rows(_migrate(AFTER), "address_line1", "city") == [("a", "1 Very Long Street", "Boston")]
