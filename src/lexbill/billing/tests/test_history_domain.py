"""The pre-bill history in people's words (issue #9): one sentence per recorded review action, money through
core.money, percents through core.percent, never a field name."""

import re
from pathlib import Path

import pytest

from lexbill.billing.domain.history import SENTENCES, describe

L = 12  # the line's id in the events below

CASES = [
    ("prebill.line_write_percent",
     {"line": L, "hours_billed": "2.8", "base_minor": 173600, "adjustment_minor": 0, "total_minor": 173600,
      "is_no_charge": False},
     {"line": L, "hours_billed": "2.8", "base_minor": 173600, "adjustment_minor": -17360, "total_minor": 156240,
      "is_no_charge": False, "percent": "10"},
     "Wrote line 12 down 10 % (−173.60)"),
    ("prebill.line_write_percent",
     {"line": L, "base_minor": 173600, "adjustment_minor": -5000, "total_minor": 168600},
     {"line": L, "base_minor": 173600, "adjustment_minor": 8680, "total_minor": 182280, "percent": "-5.0"},
     "Wrote line 12 up 5 % (+86.80, replacing −50.00)"),
    ("prebill.line_write_percent", {"line": L, "adjustment_minor": -5000},
     {"line": L, "adjustment_minor": 0, "percent": "0"}, "Removed the write-down or write-up of line 12, replacing "
                                                         "−50.00"),
    ("prebill.line_write_amount", {"line": L, "base_minor": 75000, "adjustment_minor": 0, "total_minor": 75000},
     {"line": L, "base_minor": 75000, "adjustment_minor": -2500, "total_minor": 72500},
     "Wrote line 12 down 25.00 (total 725.00)"),
    ("prebill.line_write_amount", {"line": L, "adjustment_minor": 0},
     {"line": L, "adjustment_minor": 123456789, "total_minor": 123531789},
     "Wrote line 12 up 1,234,567.89 (total 1,235,317.89)"),
    ("prebill.line_write_amount", {"line": L, "adjustment_minor": -2500}, {"line": L, "adjustment_minor": 0},
     "Removed the write-down or write-up of line 12, replacing −25.00"),
    ("prebill.line_write_hours", {"line": L, "hours_billed": "1.5", "base_minor": 75000},
     {"line": L, "hours_billed": "1.25", "base_minor": 62500}, "Billed line 12 at 1.25 h instead of 1.5 h "
                                                               "(750.00 → 625.00)"),
    ("prebill.line_no_charge", {"line": 4, "total_minor": 9000, "is_no_charge": False},
     {"line": 4, "total_minor": 0, "is_no_charge": True}, "Marked line 4 no charge (was 90.00)"),
    ("prebill.line_charge", {"line": 4, "total_minor": 0}, {"line": 4, "total_minor": 9000},
     "Charged line 4 again (90.00)"),
    ("prebill.line_narrative", {"line": L, "narrative": "Call"}, {"line": L, "narrative": "Call with  client\nre: lease"},
     "Changed the narrative of line 12 to “Call with client re: lease”"),
    ("prebill.line_codes", {"line": L, "task_code": "", "activity_code": "A101"},
     {"line": L, "task_code": "L120", "activity_code": "A104"}, "Coded line 12: task L120, activity A104 instead of A101"),
    ("prebill.line_codes", {"line": 3, "expense_code": "E101"}, {"line": 3, "expense_code": ""},
     "Coded line 3: expense (none) instead of E101"),
    ("prebill.line_move", {"line": 7, "matter": "M-1001", "is_current": True, "time_entry": 70},
     {"line": 7, "matter": "M-1002", "is_current": False, "time_entry": 70}, "Moved line 7 to matter M-1002"),
    ("prebill.line_hold", {"line": 7, "is_current": True, "is_held": False},
     {"line": 7, "is_current": False, "is_held": True, "held_until_after": "2026-03-31", "expense": 3},
     "Held line 7 for next month (bill runs through 2026-03-31 skip it)"),
    ("prebill.write_percent", {"lines": [{"line": 1}, {"line": 2}, {"line": 3}]},
     {"adjustment_minor": -13950, "percent": "10", "lines": [{"line": 1}, {"line": 2}, {"line": 3}]},
     "Wrote the whole bill down 10 % (−139.50), spread over 3 lines"),
    ("prebill.write_amount", {"lines": [{"line": 1}]}, {"adjustment_minor": 5000, "lines": [{"line": 1}]},
     "Wrote the whole bill up 50.00, spread over 1 line"),
    ("prebill.write_amount", {"lines": []}, {"adjustment_minor": 0, "lines": []},
     "Removed the whole bill's write-downs and write-ups"),
    ("prebill.query_add", {}, {"query": 5, "line": 3, "question": "Was the 1.5 h all on the complaint?"},
     "Asked a query on line 3: “Was the 1.5 h all on the complaint?”"),
    ("prebill.query_add", {}, {"query": 6, "line": None, "question": "Cap agreed?"},
     "Asked a query about the whole bill: “Cap agreed?”"),
    ("prebill.query_answer", {"query": 5, "line": 3, "answer": ""}, {"query": 5, "line": 3, "answer": "Yes."},
     "Answered the query on line 3: “Yes.”"),
    ("prebill.submit", {"status": "draft"}, {"status": "in_review"}, "Submitted for review"),
    ("prebill.approve", {"status": "in_review"}, {"status": "approved", "approved_at": "2026-04-03T10:00:00+00:00"},
     "Approved"),
    ("prebill.approve", {"status": "in_review"},
     {"status": "approved", "override_open_queries_reason": "Client agreed by phone", "open_queries": 2,
      "open_query_lines": [3]}, "Approved despite 2 open queries: “Client agreed by phone”"),
    ("prebill.reject", {"status": "approved", "approved_by": 1}, {"status": "draft", "reason": "Too vague"},
     "Rejected back to draft: “Too vague”"),
    ("prebill.create", None,
     {"bill_run": 4, "matters": ["M-1"], "lines": 3, "subtotal_minor": 139500, "fees_minor": 135000},
     "Created by bill run 4 with 3 lines (1,395.00)"),
    ("prebill.rebill", {"credit_note": "CN2026-00001", "invoice": "2026-00007"},
     {"prebill": 9, "lines": 2, "subtotal_minor": 60000},
     "Re-billed from invoice 2026-00007 after credit note CN2026-00001: 2 lines (600.00)"),
]


@pytest.mark.parametrize(("action", "before", "after", "sentence"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_event_reads_as_a_sentence(action, before, after, sentence):
    assert describe(action, before, after, "USD") == sentence


def test_money_follows_the_currency():
    assert describe("prebill.line_write_amount", {"line": 1, "adjustment_minor": 0},
                    {"line": 1, "adjustment_minor": -1500, "total_minor": 98500}, "JPY") == \
        "Wrote line 1 down 1,500 (total 98,500)"


def test_an_unknown_action_or_an_odd_event_is_still_words():
    assert describe("prebill.line_split", {}, {"line": 1}, "USD") == "Line split"
    assert describe("prebill.line_write_hours", {"line": 1, "hours_billed": "x"}, {"line": 1}, "USD") == \
        "Billed line 1 at ? h instead of ? h (? → ?)"


def test_no_sentence_shows_a_field_name():
    for action, before, after, _ in CASES:
        text = describe(action, before, after, "USD")
        assert not re.search(r"[a-z]+_[a-z]+", text), text


def test_every_action_the_services_record_has_a_sentence():
    services = Path(__file__).resolve().parents[1] / "services"
    source = "\n".join(path.read_text(encoding="utf-8") for path in services.glob("*.py"))
    recorded = set(re.findall(r'action="(?:prebill\.)?([a-z_]+)"', source))
    recorded |= set(re.findall(r'action="prebill\.([a-z_]+)"', source))
    recorded |= {"line_no_charge", "line_charge"}  # chosen by a conditional expression in review.py
    review_actions = {a for a in recorded if a in SENTENCES or a.startswith(("line_", "write_", "query_"))}
    # every review action found in the services (and the pre-bill's own events) has a sentence
    assert review_actions - set(SENTENCES) == set()
    assert {"create", "rebill", "approve", "reject", "submit"} <= set(SENTENCES)
