"""/clients and /matters accept and return the required UTBMS code sets; bad ones change nothing."""

import pytest

from lexbill.clients.models import Client, Matter
from lexbill.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_a_client_with_code_sets(api):
    response = api.post("/clients/", {"code": "INIT", "name": "Initech",
                                      "utbms_code_sets": ["litigation", "activity", "expense"]})
    assert response.status_code == 201
    assert response.json()["utbms_code_sets"] == ["litigation", "activity", "expense"]
    assert Client.objects.get(code="INIT").utbms_code_sets == ["litigation", "activity", "expense"]


def test_patch_a_matter_sets_then_clears_its_code_sets(api, matter):
    response = api.patch(f"/matters/{matter.pk}", {"utbms_code_sets": ["bankruptcy"]})
    assert response.status_code == 200
    assert response.json()["utbms_code_sets"] == ["bankruptcy"]
    assert api.get(f"/matters/{matter.pk}").json()["utbms_code_sets"] == ["bankruptcy"]

    response = api.patch(f"/matters/{matter.pk}", {"utbms_code_sets": []})
    assert (response.status_code, response.json()["utbms_code_sets"]) == (200, [])
    assert Matter.objects.get(pk=matter.pk).utbms_code_sets == []


@pytest.mark.parametrize("bad", [["tax"], ["litigation", "litigation"], "litigation", None])
def test_bad_code_sets_are_refused_and_nothing_changes(api, client_acme, bad):
    before = AuditEvent.objects.count()
    response = api.patch(f"/clients/{client_acme.pk}", {"utbms_code_sets": bad})
    assert response.status_code == 422
    assert Client.objects.get(pk=client_acme.pk).utbms_code_sets == []
    assert AuditEvent.objects.count() == before
