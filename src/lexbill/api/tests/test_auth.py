"""Bearer tokens bound to a user and a firm: 401 without a good one, 403 for client users."""

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from lexbill.clients.models import Client as ClientRecord
from lexbill.core.models import ApiToken
from lexbill.testing import factories

from .conftest import Api, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Token lxb_abc", "Basic dXNlcjpwYXNz",
                                    "Bearer " + "x" * 500])
def test_missing_or_unknown_token_is_401_json(client_acme, header):
    headers = {"Authorization": header} if header else {}

    response = Client().get("/api/v1/clients/", headers=headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "missing, unknown or revoked API token", "code": "unauthorized",
                               "field": None}


def test_revoked_token_is_401(firm, admin_user, client_acme):
    raw = token_for(firm, admin_user)
    with scopes_disabled():
        ApiToken.objects.update(revoked_at=timezone.now())

    assert Api(Client(), raw).get("/clients/").status_code == 401


def test_token_of_a_removed_member_is_401(firm, admin_user, client_acme):
    raw = token_for(firm, admin_user)
    with scopes_disabled():
        admin_user.memberships.all().delete()

    assert Api(Client(), raw).get("/clients/").status_code == 401


def test_token_of_an_inactive_user_is_401(firm, admin_user, client_acme):
    raw = token_for(firm, admin_user)
    admin_user.is_active = False
    admin_user.save()

    assert Api(Client(), raw).get("/clients/").status_code == 401


@pytest.mark.parametrize("method,path", [("get", "/clients/"), ("get", "/time-entries/"), ("get", "/rates/"),
                                         ("delete", "/clients/1")])
def test_client_role_token_is_403_on_staff_resources(firm, client_acme, method, path):
    portal_user = factories.make_user(firm, email="cfo@acme.example", role="client")
    api = Api(Client(), token_for(firm, portal_user))

    response = getattr(api, method)(path)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert ClientRecord.objects.filter(code="ACME").exists()


@pytest.mark.parametrize("role", ["admin", "billing", "attorney", "accounting"])
def test_staff_roles_are_let_in(firm, client_acme, role):
    user = factories.make_user(firm, email=f"{role}@arnsley.example", role=role)

    response = Api(Client(), token_for(firm, user)).get("/clients/")

    assert response.status_code == 200
    assert [c["code"] for c in response.json()["items"]] == ["ACME"]


def test_token_records_when_it_was_last_used(firm, admin_user):
    raw = token_for(firm, admin_user)

    Api(Client(), raw).get("/clients/")

    with scopes_disabled():
        assert ApiToken.objects.get().last_used_at is not None


def test_openapi_document_is_served_and_docs_page_is_off(db):
    schema = Client().get("/api/v1/openapi.json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/clients/", "/api/v1/matters/{matter_id}", "/api/v1/time-entries/", "/api/v1/expenses/",
            "/api/v1/rates/{rate_id}", "/api/v1/timekeepers/"} <= set(paths)
    assert schema.json()["components"]["securitySchemes"]["FirmTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert Client().get("/api/v1/docs").status_code == 404
