"""Fixtures shared by every test: a firm in scope, its people and records."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from django_scopes import scopes_disabled
from hypothesis import settings as hypothesis_settings

from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories, hypothesis_profiles  # noqa: F401  (registers the profiles)

# Hypothesis: the same examples on every run and machine (derandomize), no wall-clock deadline (the machine is
# shared), and function-scoped fixtures allowed (each property runs inside the test's database transaction).
# HYPOTHESIS_PROFILE=dev explores new random examples locally.
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def firm(db):  # type: ignore[no-untyped-def]
    """A firm whose scope is active for the whole test."""
    created = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    with firm_scope(created):
        yield created


@pytest.fixture
def other_firm(db):  # type: ignore[no-untyped-def]
    with scopes_disabled():
        return factories.make_firm("Other Firm LLP", slug="other")


@pytest.fixture
def partner(firm):  # type: ignore[no-untyped-def]
    return factories.make_timekeeper(firm, initials="RA", first_name="Robert", last_name="Arnsley",
                                     classification="PT", standard_rate_minor=50000)


@pytest.fixture
def associate(firm):  # type: ignore[no-untyped-def]
    return factories.make_timekeeper(firm, initials="JD", first_name="Jane", last_name="Doe",
                                     classification="AS", standard_rate_minor=30000)


@pytest.fixture
def client_acme(firm):  # type: ignore[no-untyped-def]
    return factories.make_client(firm, code="ACME", name="Acme Corp")


@pytest.fixture
def matter(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-001",
                                 name="Acme v. Widget Co.")


@pytest.fixture
def admin_user(firm):  # type: ignore[no-untyped-def]
    return factories.make_user(firm, email="admin@arnsley.example", role="admin")


@pytest.fixture
def run():  # type: ignore[no-untyped-def]
    """Invoke `lexbill ARGS...` in-process (same test database); returns click's Result."""
    from lexbill.cli.main import _register, cli

    _register()
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def run_json(run):  # type: ignore[no-untyped-def]
    """Invoke `lexbill ARGS... --json`, require exit 0, return the parsed output."""

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output + result.stderr
        return json.loads(result.stdout)

    return invoke
