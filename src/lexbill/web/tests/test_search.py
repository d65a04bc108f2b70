"""The top bar's search box and its results page (issue #9 "Find anything")."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from lexbill.testing import factories
from lexbill.testing.billing import make_prebill


def test_the_results_page_groups_hits_by_kind_with_links(client, admin_user, firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 20), "1.0", "Call")])
    client.force_login(admin_user)

    response = client.get(reverse("search"), {"q": "ACME-0"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-clients"' not in page  # no client's code or name contains "ACME-0"
    assert f'<a href="{reverse("matter_detail", args=[matter.pk])}">ACME-001</a>' in page
    assert f'<a href="{reverse("prebill_review", args=[prebill.pk])}">PB-{prebill.pk}</a>' in page
    assert 'id="topsearch-q"' in page and 'value="ACME-0"' in page


def test_nothing_found_says_so_and_an_overlong_query_is_refused(client, admin_user, firm):
    client.force_login(admin_user)

    empty = client.get(reverse("search"), {"q": "nobody"})
    long = client.get(reverse("search"), {"q": "x" * 101})

    assert "Nothing matches “nobody”." in empty.content.decode()
    assert long.status_code == 422 and "at most 100 characters" in long.content.decode()


def test_a_client_user_gets_404_and_no_search_box(client, firm):
    user = factories.make_user(firm, email="ap@acme.example", role="client")
    client.force_login(user)

    assert client.get(reverse("search"), {"q": "acme"}).status_code == 404
    assert 'id="topsearch-q"' not in client.get(reverse("home")).content.decode()
