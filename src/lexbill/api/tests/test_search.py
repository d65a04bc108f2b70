"""GET /search: the web's search box as JSON, under the access policy."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_returns_every_kind_with_ids_and_the_limit(api, matter):
    response = api.get("/search", q="acme")

    assert response.status_code == 200
    assert response.json() == {
        "query": "acme", "limit": 10,
        "results": {"clients": [{"id": matter.client_id, "number": "ACME", "name": "Acme Corp", "detail": ""}],
                    "matters": [{"id": matter.pk, "number": "ACME-001", "name": "Acme v. Widget Co.",
                                 "detail": "Acme Corp · Open"}],
                    "invoices": [], "prebills": []},
        "more": {"clients": False, "matters": False, "invoices": False, "prebills": False},
    }


def test_an_overlong_query_is_422(api):
    assert api.get("/search", q="x" * 101).status_code == 422
