"""/clients keeps the field name ledes_client_id while the value lives in e-billing's settings of the client."""

import pytest

from lexbill.ebilling.models import ClientEbillingSettings

pytestmark = pytest.mark.django_db


def test_the_api_reads_and_writes_the_ledes_client_id_under_its_old_name(api, firm):
    created = api.post("/clients/", {"code": "GLOBEX", "name": "Globex", "ledes_client_id": "GLX-9"})
    assert (created.status_code, created.json()["ledes_client_id"]) == (201, "GLX-9")
    client_id = created.json()["id"]

    patched = api.patch(f"/clients/{client_id}", {"ledes_client_id": "GLX-10"})

    assert (patched.status_code, patched.json()["ledes_client_id"]) == (200, "GLX-10")
    assert list(ClientEbillingSettings.objects.values_list("client__code", "ledes_client_id")) == [
        ("GLOBEX", "GLX-10")]
    assert [c["ledes_client_id"] for c in api.get("/clients/").json()["items"]] == ["GLX-10"]
