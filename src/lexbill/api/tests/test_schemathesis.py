"""Property-based run of every operation in the OpenAPI document: whatever the input, never a 500.

Requests go through Django's WSGI handler in-process, authenticated with a real token of a seeded firm,
inside the test's transaction. Hypothesis is derandomized so CI sees the same examples every run.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from lexbill.testing import factories

from .conftest import token_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 6}


@pytest.fixture
def keep_test_connection():
    """Django's test client keeps the connection open across requests; a bare WSGI handler closes it
    at the end of each one, which would end the test's transaction. Do what the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error(firm, admin_user, matter, associate, keep_test_connection):
    factories.make_client(firm, code="GLX", name="Globex")
    headers = {"Authorization": f"Bearer {token_for(firm, admin_user)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 72  # five resources x 5 operations, rates x 4, billing 23, e-billing 6, payors 2,
    # search 1, timers 3, users 5, bulk jobs 3

    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def never_500(case):  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            never_500()
