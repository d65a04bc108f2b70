"""Builders for the billing API tests: one pre-bill of known figures, tokens for each role."""

from datetime import date

from django.test import Client as HttpClient

from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .conftest import Api, token_for

MARCH_2 = date(2026, 3, 2)
MARCH_3 = date(2026, 3, 3)


def acme_prebill(firm, matter, partner, associate, **fields):  # type: ignore[no-untyped-def]
    """Jane 1.5 h x 300.00 = 450.00; Robert 0.4 h x 500.00 = 200.00; courier 2 x 25.00 = 50.00: 700.00."""
    return make_prebill(firm, matter, work=[(associate, MARCH_2, "1.5", "Research"),
                                            (partner, MARCH_3, "0.4", "Review draft")],
                        expenses=[(MARCH_2, "Courier", 2500, "2")], **fields)


def api_as(firm, role, email=None):  # type: ignore[no-untyped-def]
    user = factories.make_user(firm, email=email or f"{role}@arnsley.example", role=role)
    return Api(HttpClient(), token_for(firm, user)), user
