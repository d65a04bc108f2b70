"""A command given a client, matter, timekeeper, invoice, pre-bill or other record the firm does not have
says so in one line and exits 1 (it used to list nothing and exit 0, e.g. `time list --matter TYPO`)."""

from __future__ import annotations

import pytest

from lexbill.core.audit import AuditEvent
from lexbill.timekeeping.models import TimeEntry


@pytest.mark.parametrize(("args", "line"), [
    (["time", "list", "--matter", "UNKNOWN"], "no matter UNKNOWN in firm arnsley"),
    (["time", "list", "--timekeeper", "ZZ"], "no timekeeper ZZ in firm arnsley"),
    (["billrun", "--through", "2026-03-31", "--client", "NOPE"], "no client NOPE in firm arnsley"),
    (["billrun", "--through", "2026-03-31", "--matter", "ACME-001", "--matter", "NOPE-9"],
     "no matter NOPE-9 in firm arnsley"),
    (["billrun", "--through", "2026-03-31", "--attorney", "ZZ"], "no timekeeper ZZ in firm arnsley"),
    (["invoice", "show", "2026-99999"], "no invoice 2026-99999 in firm arnsley"),
    (["invoice", "credit", "2026-99999", "--full", "--reason", "x"], "no invoice 2026-99999 in firm arnsley"),
    (["invoice", "send", "2026-99999"], "no invoice 2026-99999 in firm arnsley"),
    (["invoice", "send", "--run", "99999"], "no bill run 99999 in firm arnsley"),
    (["invoice", "issue", "99999"], "no pre-bill 99999 in firm arnsley"),
    (["prebill", "show", "99999"], "no pre-bill 99999 in firm arnsley"),
    (["prebill", "approve", "99999"], "no pre-bill 99999 in firm arnsley"),
    (["prebill", "reject", "99999", "--reason", "x"], "no pre-bill 99999 in firm arnsley"),
    (["ledes", "export", "2026-99999", "-o", "out.txt"], "no invoice 2026-99999 in firm arnsley"),
    (["ebill", "submit", "2026-99999"], "no invoice 2026-99999 in firm arnsley"),
    (["matter", "fee-item", "list", "NOPE-1"], "no matter NOPE-1 in firm arnsley"),
    (["matter", "fee-item", "reached", "99999"], "no fee item 99999 in firm arnsley"),
    (["matter", "recovery", "list", "NOPE-1"], "no matter NOPE-1 in firm arnsley"),
    (["matter", "payors", "ACME-001", "--set", "NOPE=100"], "no client NOPE in firm arnsley"),
    (["tax", "add", "GST", "--rate", "10", "--client", "NOPE"], "no client NOPE in firm arnsley"),
    (["tax", "deactivate", "99999"], "no tax rate 99999 in firm arnsley"),
    (["token", "create", "--user", "nobody@nowhere.example"], "no user nobody@nowhere.example in firm arnsley"),
])
def test_an_unknown_reference_is_named_in_one_line_and_exits_1(run, matter, associate, args, line):
    events, entries = AuditEvent.objects.count(), TimeEntry.objects.count()

    result = run(*args)

    assert (result.exit_code, result.stderr, result.stdout) == (1, f"lexbill: error: {line}\n", "")
    assert (AuditEvent.objects.count(), TimeEntry.objects.count()) == (events, entries)


def test_a_known_matter_with_no_time_lists_nothing_and_exits_0(run, matter, associate):
    result = run("time", "list", "--matter", "ACME-001", "--timekeeper", "jd")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_another_firms_matter_is_unknown_here(run, matter, other_firm):
    result = run("time", "list", "--matter", "ACME-001", "--firm", "other")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no matter ACME-001 in firm other\n")


def test_an_unknown_member_for_as_is_named_with_the_firm(run, matter):
    result = run("time", "list", "--as", "nobody@nowhere.example")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no user nobody@nowhere.example in firm arnsley\n")
