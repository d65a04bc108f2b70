"""Firm scoping: queries outside a scope raise; inside one, another firm's rows do not exist."""

import pytest
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from lexbill.clients.models import Client, Matter
from lexbill.core.errors import NotFound, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.tenancy import NO_FIRM, firm_by_slug, firm_scope, firms_for_user
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories


@pytest.fixture
def two_firms(db):
    with scopes_disabled():
        a = factories.make_firm("Firm A", slug="a")
        b = factories.make_firm("Firm B", slug="b")
    for f in (a, b):
        with firm_scope(f):
            factories.make_matter(f, number=f"{f.slug.upper()}-1")
    return a, b


def test_a_query_outside_any_firm_scope_raises(two_firms):
    with pytest.raises(ScopeError):
        list(Client.objects.all())
    with pytest.raises(ScopeError):
        Matter.objects.filter(number="A-1").first()


def test_inside_a_scope_only_that_firms_rows_exist(two_firms):
    a, b = two_firms
    with firm_scope(a):
        assert [m.number for m in Matter.objects.all()] == ["A-1"]
        assert not Matter.objects.filter(number="B-1").exists()
        assert all(t.firm_id == a.pk for t in Timekeeper.objects.all())
    with firm_scope(b):
        assert [m.number for m in Matter.objects.all()] == ["B-1"]


def test_the_no_firm_scope_sees_nothing(two_firms):
    with scope(firm=NO_FIRM):
        assert Client.objects.count() == 0
        assert not Matter.objects.filter(number="A-1").exists()


def test_a_logged_in_user_without_a_firm_sees_no_rows(two_firms, client):
    from django.contrib.auth import get_user_model

    from lexbill.core.middleware import ActiveFirmMiddleware

    seen = {}

    def view(request):
        seen["firm"] = request.firm
        seen["clients"] = Client.objects.count()
        from django.http import HttpResponse

        return HttpResponse("ok")

    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.create_user("nobody@example.com", password="x")
    request.session = {}
    ActiveFirmMiddleware(view)(request)
    assert seen == {"firm": None, "clients": 0}


def test_firm_by_slug_defaults_to_the_only_firm(db):
    with pytest.raises(NotFound, match="no firm yet"):
        firm_by_slug(None)
    only = factories.make_firm("Solo", slug="solo")
    assert firm_by_slug(None) == only
    factories.make_firm("Second", slug="second")
    with pytest.raises(ValidationFailed, match="--firm"):
        firm_by_slug(None)
    with pytest.raises(NotFound, match="no firm with slug 'nope'"):
        firm_by_slug("nope")


def test_a_user_belongs_to_several_firms_with_a_role_in_each(two_firms):
    a, b = two_firms
    with firm_scope(a):
        user = factories.make_user(a, email="freelance@example.com", role="billing")
    with firm_scope(b):
        factories.make_user(b, email="freelance@example.com", role="accounting")
    assert firms_for_user(user) == [a, b]
    with scopes_disabled():
        roles = {m.firm.slug: m.role for m in user.memberships.all()}
    assert roles == {"a": "billing", "b": "accounting"}
    assert Firm.objects.count() == 2
