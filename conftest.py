"""Fixtures shared by every test: a firm in scope, its people and records."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories


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
