"""A client's country is a real ISO 3166 alpha-2 code (it reaches LEDES files and letterheads)."""

import pytest

from lexbill.core.errors import ValidationFailed
from lexbill.testing import factories


def test_a_client_country_must_be_a_real_iso_code(firm):
    with pytest.raises(ValidationFailed, match="unknown country code 'UK'"):
        factories.make_client(firm, code="BRIT", country="UK")
    assert factories.make_client(firm, code="BRIT", country="GB").country == "GB"
