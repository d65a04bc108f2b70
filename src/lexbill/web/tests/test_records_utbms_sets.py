"""Client and matter forms: the required UTBMS code sets, ticked, stored in catalogue order, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lexbill.clients.models import Client, Matter
from lexbill.clients.services import client_update
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent

from .records_support import audit_count
from .test_records_clients import GOOD as GOOD_CLIENT


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def _edit_data(form) -> dict:  # type: ignore[no-untyped-def]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False, [])}


def test_a_new_client_stores_the_ticked_sets_in_catalogue_order(admin, firm):  # type: ignore[no-untyped-def]
    response = admin.post(reverse("client_create"), {**GOOD_CLIENT, "utbms_code_sets": ["expense", "litigation"]})
    assert response.status_code == 302
    assert Client.objects.get(code="BETA").utbms_code_sets == ["litigation", "expense"]


def test_the_client_form_offers_every_set_and_shows_the_current_ones(admin, client_acme):  # type: ignore[no-untyped-def]
    client_acme.utbms_code_sets = ["bankruptcy", "activity"]
    client_acme.save()
    response = admin.get(reverse("client_edit", args=[client_acme.pk]))
    form = response.context["form"]
    assert [value for value, _ in form.fields["utbms_code_sets"].choices] == [
        "litigation", "counseling", "bankruptcy", "project", "activity", "expense"]
    assert form["utbms_code_sets"].value() == ["bankruptcy", "activity"]
    html = response.content.decode()
    assert 'value="bankruptcy"' in html and "Litigation (L)" in html


def test_editing_a_matter_sets_and_clears_its_sets_with_an_audit_event(admin, matter):  # type: ignore[no-untyped-def]
    url = reverse("matter_edit", args=[matter.pk])
    data = _edit_data(admin.get(url).context["form"])
    response = admin.post(url, {**data, "utbms_code_sets": ["litigation", "activity", "expense"]})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.utbms_code_sets == ["litigation", "activity", "expense"]
    event = AuditEvent.objects.filter(entity="matter", entity_id=str(matter.pk)).order_by("-pk").first()
    assert (event.before, event.after) == ({"utbms_code_sets": []},
                                           {"utbms_code_sets": ["litigation", "activity", "expense"]})

    data = _edit_data(admin.get(url).context["form"])
    data.pop("utbms_code_sets")
    admin.post(url, data)
    matter.refresh_from_db()
    assert matter.utbms_code_sets == []


def test_an_unknown_set_is_refused_and_nothing_changes(admin, matter):  # type: ignore[no-untyped-def]
    url = reverse("matter_edit", args=[matter.pk])
    data = _edit_data(admin.get(url).context["form"])
    before = audit_count()
    response = admin.post(url, {**data, "utbms_code_sets": ["litigation", "tax"]})
    assert response.status_code == 200
    assert "utbms_code_sets" in response.context["form"].errors
    assert Matter.objects.get(pk=matter.pk).utbms_code_sets == []
    assert audit_count() == before


def test_the_service_refuses_sets_that_are_not_a_list_of_known_names(client_acme):  # type: ignore[no-untyped-def]
    for bad in (["litigation", "litigation"], ["tax"], "litigation"):
        with pytest.raises(ValidationFailed) as caught:
            client_update(client=client_acme, actor=None, utbms_code_sets=bad)
        assert caught.value.field == "utbms_code_sets"
    assert Client.objects.get(pk=client_acme.pk).utbms_code_sets == []
