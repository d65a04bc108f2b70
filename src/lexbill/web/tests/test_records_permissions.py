"""Who may see and change the record pages, and that another firm's rows are 404, never a hint."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.clients.models import Client
from lexbill.rates.services import rate_create

from .records_support import audit_count, login_as, other_firm_rows


@pytest.fixture
def rows(firm, matter, partner):  # type: ignore[no-untyped-def]
    rate = rate_create(firm=firm, actor=None, timekeeper=partner, matter=matter, effective_on=date(2026, 1, 1),
                       rate_minor=45000)
    return {"client": matter.client, "matter": matter, "timekeeper": partner, "rate": rate}


def view_urls(rows):  # type: ignore[no-untyped-def]
    return [
        reverse("client_list"), reverse("client_detail", args=[rows["client"].pk]),
        reverse("matter_list"), reverse("matter_detail", args=[rows["matter"].pk]),
        reverse("timekeeper_list"), reverse("timekeeper_detail", args=[rows["timekeeper"].pk]),
        reverse("rate_list"), reverse("rate_detail", args=[rows["rate"].pk]),
    ]


def edit_urls(rows):  # type: ignore[no-untyped-def]
    return [
        reverse("client_create"), reverse("client_edit", args=[rows["client"].pk]),
        reverse("matter_create"), reverse("matter_edit", args=[rows["matter"].pk]),
        reverse("timekeeper_create"), reverse("timekeeper_edit", args=[rows["timekeeper"].pk]),
        reverse("rate_create"), reverse("rate_edit", args=[rows["rate"].pk]),
    ]


@pytest.mark.parametrize("role", ["admin", "billing"])
def test_admin_and_billing_can_view_and_open_every_edit_page(client, firm, rows, role):
    login_as(client, firm, role)

    for url in [*view_urls(rows), *edit_urls(rows)]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_attorney_and_accounting_can_view_but_not_edit(client, firm, rows, role):
    login_as(client, firm, role)

    for url in view_urls(rows):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b">Edit</a>" not in response.content and b">New " not in response.content, url
    for url in edit_urls(rows):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_a_viewer_cannot_post_a_client(client, firm, role):
    login_as(client, firm, role)
    before = audit_count()

    response = client.post(reverse("client_create"), {"code": "NEW", "name": "New Co", "country": "US",
                                                      "currency": "USD", "payment_terms_days": "30"})

    assert response.status_code == 403
    assert not Client.objects.filter(code="NEW").exists()
    assert audit_count() == before


def test_a_client_role_user_gets_404_on_every_staff_page(client, firm, rows):
    login_as(client, firm, "client")

    for url in [*view_urls(rows), *edit_urls(rows), reverse("contact_add", args=[rows["client"].pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("client_create"), {"code": "X", "name": "X"}).status_code == 404
    assert b"Clients</a>" not in client.get(reverse("home")).content


def test_an_anonymous_visitor_is_sent_to_log_in(client, rows):
    response = client.get(reverse("matter_list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('matter_list')}"


def test_a_user_of_no_firm_gets_404(client, firm, rows):
    with scopes_disabled():
        user = get_user_model().objects.create_user("drifter@example.com", "drifter@example.com", "pw-123456789")
    client.force_login(user)

    for url in [*view_urls(rows), *edit_urls(rows)]:
        assert client.get(url).status_code == 404, url


def test_every_detail_and_edit_page_of_another_firm_is_404(client, firm, other_firm, admin_user):
    other = other_firm_rows(other_firm)
    client.force_login(admin_user)
    urls = [
        reverse("client_detail", args=[other.client.pk]), reverse("client_edit", args=[other.client.pk]),
        reverse("matter_detail", args=[other.matter.pk]), reverse("matter_edit", args=[other.matter.pk]),
        reverse("timekeeper_detail", args=[other.timekeeper.pk]),
        reverse("timekeeper_edit", args=[other.timekeeper.pk]),
        reverse("rate_detail", args=[other.rate.pk]), reverse("rate_edit", args=[other.rate.pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Hijacked"}).status_code in (404, 405), url
    before = audit_count()
    response = client.post(reverse("contact_add", args=[other.client.pk]), {"name": "Spy"})
    assert response.status_code == 404
    assert audit_count() == before


def test_another_firms_rows_do_not_show_in_lists(client, firm, other_firm, admin_user, matter):
    other_firm_rows(other_firm)
    client.force_login(admin_user)

    for name in ("client_list", "matter_list", "timekeeper_list", "rate_list"):
        body = client.get(reverse(name), {"active": "all", "status": "all"}).content.decode()
        # whole words only: the page's random CSRF token may contain the letters "OX"
        assert not re.search(r"\bOTHER\b|\bOX\b", body), name
    assert "ACME-001" in client.get(reverse("matter_list")).content.decode()
