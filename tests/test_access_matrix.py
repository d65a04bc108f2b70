"""The access matrix: every API route, web page and command, tried by every role against a written
expectation (docs/access.md). A refused attempt must change nothing; an allowed write must change something.

Every attempt runs in a savepoint that is rolled back, so one firm (access_world) serves the whole
matrix of a role. A route, page or command with no expectation fails `test_every_..._has_an_expectation`.
"""

from __future__ import annotations

import json
from typing import Any

import click
import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access_table_api import API_CASES, Case
from access_table_cli import CLI_COMMANDS, OPERATOR_ONLY, Command
from access_table_web import WEB_PAGES
from access_world import ROLES, World, build_world, fingerprint
from lexbill.testing.cli_tree import cli_commands
from lexbill.testing.rollback import rolled_back

API = "/api/v1"


@pytest.fixture
def world(firm) -> World:  # type: ignore[no-untyped-def]
    return build_world(firm)


def _outcome(expect: str, method: str, status: int, changed: bool) -> str | None:
    """None when the answer matches the expectation code, else what went wrong."""
    if expect == "P":
        if status in (403, 404) or status >= 500:
            return f"expected the page to handle it, got {status}"
        return None
    if expect == "O":
        if not 200 <= status < 400:
            return f"expected allowed, got {status}"
        if method != "GET" and not changed:
            return f"allowed ({status}) but nothing changed"
        return None
    wanted = {"3": {403}, "4": {404}, "C": {409, 422}}[expect]
    if status not in wanted:
        return f"expected {'/'.join(map(str, sorted(wanted)))}, got {status}"
    if changed:
        return f"refused ({status}) but something changed"
    return None


def _attempt(call: Any) -> tuple[int, bool, str]:
    with rolled_back():
        before = fingerprint()
        response = call()
        changed = fingerprint() != before
    body = response.content[:200].decode(errors="replace") if response.status_code >= 400 else ""
    return response.status_code, changed, body


# --- API ----------------------------------------------------------------------------------------------------


def _openapi_routes() -> set[str]:
    schema = json.loads(HttpClient().get(f"{API}/openapi.json").content)
    return {f"{method.upper()} {path.removeprefix(API)}" for path, ops in schema["paths"].items() for method in ops}


def test_every_api_route_has_an_expectation(db):  # type: ignore[no-untyped-def]
    routes = _openapi_routes()

    assert sorted(routes - set(API_CASES)) == [], "API routes with no expectation in access_table_api.py"
    assert sorted(set(API_CASES) - routes) == [], "expectations for routes that no longer exist"


def _fill(value: Any, world: World) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return world.ids[value[1:]]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def _api_call(world: World, role: str, route: str, case: Case) -> Any:
    method, template = route.split(" ", 1)
    path = template.format(**{name: world.ids[key] for name, key in case.ids.items()})
    client = HttpClient()
    headers = {"Authorization": f"Bearer {world.tokens[role]}"}
    body = json.dumps(_fill(case.body, world) if case.body is not None else {})
    if method == "GET":
        return lambda: client.get(API + path, headers=headers)
    return lambda: client.generic(method, API + path, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, role):  # type: ignore[no-untyped-def]
    failures = []
    for route, cases in API_CASES.items():
        for case in cases:
            expect = case.expect[ROLES.index(role)]
            status, changed, body = _attempt(_api_call(world, role, route, case))
            problem = _outcome(expect, route.split(" ")[0], status, changed)
            if problem:
                failures.append(f"{route} [{case.label or 'default'}]: {problem} {body}")

    assert failures == []


# --- web ----------------------------------------------------------------------------------------------------


def _url_names(patterns: Any = None) -> set[str]:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "namespace", None) != "api":  # the API is tried above, route by route
                names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name and not str(pattern.pattern).startswith("api/"):
            names.add(pattern.name)
    return names


def test_every_web_page_has_an_expectation(db):  # type: ignore[no-untyped-def]
    names = _url_names()

    assert sorted(names - set(WEB_PAGES)) == [], "web pages with no expectation in access_table_web.py"
    assert sorted(set(WEB_PAGES) - names) == [], "expectations for pages that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(world, role):  # type: ignore[no-untyped-def]
    client = HttpClient()
    client.force_login(world.users[role])
    failures = []
    for name, pages in WEB_PAGES.items():
        for page in pages:
            url = reverse(name, kwargs={arg: world.ids[key] for arg, key in page.kwargs.items()})
            call = (lambda u=url: client.get(u)) if page.method == "GET" else (lambda u=url: client.post(u, {}))
            status, changed, _body = _attempt(call)
            problem = _outcome(page.expect[ROLES.index(role)], page.method, status, changed)
            if problem:
                failures.append(f"{page.method} {name} [{page.label or 'default'}]: {problem}")
            if name in ("logout", "firm_switch"):
                client.force_login(world.users[role])

    assert failures == []


# --- CLI ----------------------------------------------------------------------------------------------------


def _has_as(command: click.Command) -> bool:
    return any(param.name == "as_email" for param in command.params)


def test_every_command_has_an_expectation():
    commands = cli_commands()
    firm_commands = {name for name, command in commands.items() if _has_as(command)}

    assert sorted(firm_commands - set(CLI_COMMANDS)) == [], "commands with no expectation in access_table_cli.py"
    assert sorted(set(CLI_COMMANDS) - firm_commands) == [], "expectations for commands without --as"
    assert sorted(set(commands) - firm_commands - OPERATOR_ONLY) == [], "commands neither per firm nor operator-only"


def _cli_args(world: World, command: Command, tmp: str) -> list[str]:
    values = {**{k: str(v) for k, v in world.ids.items()}, "invoice_number": world.numbers["invoice"], "tmp": tmp}
    return [arg.format(**values) for arg in command.args]


def _cli_outcome(expect: str, command: Command, exit_code: int, message: str, changed: bool) -> str | None:
    if expect == "O":
        if exit_code != 0:
            return f"expected exit 0, got {exit_code}: {message}"
        if command.writes and not changed:
            return "exit 0 but nothing changed"
        return None
    if exit_code != 1 or changed:
        return f"expected a refusal (exit 1, nothing changed), got exit {exit_code}, changed={changed}: {message}"
    # A row the member may not see is as missing as one that never existed: "no invoice with number ...".
    hidden = "not found" in message or message.startswith("lexbill: error: no ")
    if expect == "C" and ("may not" in message or hidden):
        return f"expected a business refusal, got an access refusal: {message}"
    if expect == "3" and "may not" not in message:
        return f"expected 'may not', got: {message}"
    if expect == "4" and not hidden:
        return f"expected 'not found', got: {message}"
    return None


@pytest.mark.parametrize("role", [*ROLES, "operator"])
def test_cli_matrix(world, role, run, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "clients.csv").write_text("code,name\nNEWCO,New Co\n", encoding="utf-8")
    who = [] if role == "operator" else ["--as", world.users[role].email]
    column = 0 if role == "operator" else ROLES.index(role)  # the operator may do what an admin may
    failures = []
    for name, commands in CLI_COMMANDS.items():
        for command in commands:
            args = [*name.split(" "), *_cli_args(world, command, str(tmp_path)), *who]
            with rolled_back():
                before = fingerprint()
                result = run(*args)
                changed = fingerprint() != before
            message = (result.stderr or result.output).strip().splitlines()[-1:] or [""]
            problem = _cli_outcome(command.expect[column], command, result.exit_code, message[0], changed)
            if problem:
                failures.append(f"{name} [{command.label or 'default'}]: {problem}")

    assert failures == []
