"""--json output gives every amount as a decimal string in the record's currency next to its integer
minor units (README: "amounts as decimal strings with currency")."""

from datetime import date

from lexbill.cli.common import with_amounts
from lexbill.testing.billing import make_prebill


def test_every_minor_amount_gets_its_decimal_string_nested_too():
    data = {"currency": "USD", "total_minor": 123450, "share_minor": None, "lines": [{"rate_minor": -5}],
            "count": 3, "is_minor": True}
    assert with_amounts(data, "USD") == {
        "currency": "USD", "total_minor": 123450, "total": "1234.50", "share_minor": None, "share": None,
        "lines": [{"rate_minor": -5, "rate": "-0.05"}], "count": 3, "is_minor": True}
    assert with_amounts({"amount_minor": 1500}, "JPY") == {"amount_minor": 1500, "amount": "1500"}


def test_prebill_show_json_gives_amounts_with_their_currency(run_json, firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft the complaint")])

    out = run_json("prebill", "show", str(prebill.pk))

    assert out["currency"] == "USD"
    assert out["totals"] == {"fees_minor": 75000, "fees": "750.00", "expenses_minor": 0, "expenses": "0.00",
                             "adjustments_minor": 0, "adjustments": "0.00", "subtotal_minor": 75000,
                             "subtotal": "750.00"}
    line = out["lines"][0]
    assert (line["rate"], line["base"], line["total"], line["unit_cost"]) == ("500.00", "750.00", "750.00", None)
