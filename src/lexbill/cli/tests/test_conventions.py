"""The conventions every `lexbill` command keeps (README, "The `lexbill` command"), checked over the whole
command tree so that a new command cannot forget them: bad values and bad usage are one line on stderr and
exit 1; dates, amounts, hours and percentages are read by the shared option types; every firm command
takes --firm and --json."""

from __future__ import annotations

import click
import pytest

from lexbill.cli.types import (
    AmountParam,
    ClockParam,
    DateParam,
    HoursParam,
    MonthParam,
    PayorShareParam,
    PercentParam,
)
from lexbill.core.audit import AuditEvent
from lexbill.testing.cli_tree import cli_commands

COMMANDS = cli_commands()

# Values each option type refuses, and the line that says so (after `lexbill: error: OPTION: `).
BAD_VALUES: dict[type[click.ParamType], list[tuple[str, str]]] = {
    DateParam: [("03/12/2026", '"03/12/2026" is not a date (YYYY-MM-DD)'),
                ("2026-13-01", '"2026-13-01" is not a date (YYYY-MM-DD)')],
    MonthParam: [("2026-13", '"2026-13" is not a month (YYYY-MM)')],
    ClockParam: [("2pm", '"2pm" is not a time of day (HH:MM, e.g. 14:30)')],
    HoursParam: [("abc", "not a number of hours: 'abc' (write hours like 1.25)")],
    AmountParam: [("12,50", "not an amount: '12,50' (write amounts like 1234.50: digits and a point, no separators)"),
                  ("abc", "not an amount: 'abc' (write amounts like 1234.50: digits and a point, no separators)")],
    PercentParam: [("ten", "not a percentage: 'ten'")],
    PayorShareParam: [("ACME=sixty", "'sixty' is not a percentage"),
                      ("ACME", '"ACME": write CODE=PERCENT or CODE=PERCENT:CLIENT_MATTER_ID')],
}

VALUE_OPTIONS = [
    pytest.param(path, max(param.opts, key=len), bad, message, id=f"{path} {max(param.opts, key=len)} {bad}")
    for path, command in sorted(COMMANDS.items())
    for param in command.params
    if isinstance(param, click.Option) and type(param.type) in BAD_VALUES
    for bad, message in BAD_VALUES[type(param.type)]
]


def test_the_value_options_found_in_the_tree_cover_every_kind():
    # A guard on the table below: if the walk found nothing, the test would pass vacuously.
    kinds = {type(option.type) for command in COMMANDS.values() for option in command.params}
    assert {DateParam, ClockParam, HoursParam, AmountParam, PercentParam, PayorShareParam} <= kinds
    assert len(VALUE_OPTIONS) >= 25


# Options that hold a date, an amount, hours, a time of day or a percentage, by name: each must use the
# shared type (a command that reads one by hand, or with click.DateTime or float, fails here).
TYPE_BY_NAME: dict[str, type[click.ParamType]] = {
    "--on": DateParam, "--through": DateParam, "--due": DateParam, "--as-of": DateParam,
    "--date-from": DateParam, "--date-to": DateParam, "--month": MonthParam,
    "--amount": AmountParam, "--hours": HoursParam, "--billing-increment": HoursParam,
    "--rate": PercentParam, "--from": ClockParam,
}


def test_every_date_amount_hours_or_percent_option_uses_the_shared_type():
    wrong = sorted(
        f"{path} {opt}: {type(param.type).__name__}"
        for path, command in COMMANDS.items()
        for param in command.params if isinstance(param, click.Option)
        for opt in param.opts if opt in TYPE_BY_NAME and not isinstance(param.type, TYPE_BY_NAME[opt])
    )
    assert wrong == []


@pytest.mark.parametrize(("path", "option", "bad", "message"), VALUE_OPTIONS)
def test_a_bad_value_is_one_line_naming_the_option_and_exit_1(run, firm, path, option, bad, message):
    events = AuditEvent.objects.count()

    result = run(*path.split(" "), option, bad)

    assert (result.exit_code, result.stderr, result.stdout) == (1, f"lexbill: error: {option}: {message}\n", "")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("args", "line"), [
    (["time", "list", "--status", "done"],
     "--status: 'done' is not one of 'open', 'on_prebill', 'billed'."),
    (["time", "list", "--limit", "many"], "--limit: 'many' is not a valid integer."),
    (["time", "list", "--nope"], "No such option '--nope'. (see `lexbill time list --help`)"),
    (["invoice", "show"], "Missing argument 'NUMBER'. (see `lexbill invoice show --help`)"),
    (["--nope"], "No such option '--nope'. (see `lexbill --help`)"),
    (["prebill", "approve"], "give pre-bill ids or --all (not both) (see `lexbill prebill approve --help`)"),
])
def test_click_usage_errors_are_one_line_and_exit_1(run, firm, args, line):
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, f"lexbill: error: {line}\n", "")


def test_help_still_exits_0(run):
    result = run("time", "add", "--help")
    assert result.exit_code == 0 and "time add [OPTIONS]" in result.stdout
    assert "--on DATE" in result.stdout and "--hours HOURS" in result.stdout and "--from HH:MM" in result.stdout
    assert run("--help").exit_code == 0


# Commands that print nothing about records (they start servers or hand over to Django).
NO_RECORDS_PRINTED = {"manage", "migrate", "serve", "worker"}


def test_every_firm_command_takes_firm_and_every_command_that_prints_records_takes_json():
    def options(command: click.Command) -> set[str]:
        return {opt for param in command.params for opt in getattr(param, "opts", [])}

    firm_commands = {path for path, command in COMMANDS.items() if "--as" in options(command)}
    assert sorted(path for path in firm_commands if "--firm" not in options(COMMANDS[path])) == []
    assert sorted(path for path, command in COMMANDS.items()
                  if path not in NO_RECORDS_PRINTED and "--json" not in options(command)) == []
