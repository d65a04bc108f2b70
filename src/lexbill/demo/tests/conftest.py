from datetime import date

import pytest

from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create

AS_OF = date(2026, 6, 30)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    """The small demo firm (seed 7, work up to 2026-06-30), its scope active for the test."""
    result = demo_create(size="small", seed=7, as_of=AS_OF, admin_password="demo-pass-123")
    with firm_scope(result.firm):
        yield result
