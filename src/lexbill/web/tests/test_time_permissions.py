"""Who sees and changes what on the time pages: roles, the attorney's own time, and tenancy (404)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.timekeeping.models import Expense, TimeEntry, Timer

from .time_support import HX, entry, expense, snapshot_entry

PAGES = ["/time/", "/time/new/", "/time/timers/", "/expenses/", "/expenses/new/"]


def login(client, firm, role, email=None):
    user = factories.make_user(firm, email=email or f"{role}@arnsley.example", role=role)
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_log_in(client, firm):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), page


def test_a_client_user_gets_404_everywhere(client, firm, matter, associate):
    given = entry(firm, matter, associate)
    cost = expense(firm, matter)
    login(client, firm, "client")

    for page in [*PAGES, f"/time/{given.pk}/edit/", f"/time/{given.pk}/row/", f"/expenses/{cost.pk}/edit/"]:
        assert client.get(page).status_code == 404, page
    assert client.post("/time/bulk/charge/", {"ids": [given.pk], "charge_type": "no_charge"}).status_code == 404


@pytest.mark.parametrize("role", ["admin", "billing", "accounting"])
def test_firm_wide_roles_see_everyones_time(client, firm, matter, associate, partner, role):
    a, b = entry(firm, matter, associate), entry(firm, matter, partner)
    login(client, firm, role)

    html = client.get("/time/").content.decode()

    assert f'id="entry-{a.pk}"' in html and f'id="entry-{b.pk}"' in html


def test_accounting_reads_but_cannot_change_anything(client, firm, matter, associate):
    given = entry(firm, matter, associate)
    cost = expense(firm, matter)
    login(client, firm, "accounting")
    before = snapshot_entry(given)

    html = client.get("/time/").content.decode()
    assert "Mark no-charge" not in html and "New entry" not in html and "Start timer" not in html
    assert client.get("/expenses/").status_code == 200
    refused = [
        client.get("/time/new/"),
        client.get(f"/time/{given.pk}/edit/", **HX),
        client.post(f"/time/{given.pk}/edit/", {"narrative": "x"}),
        client.post("/time/bulk/charge/", {"ids": [given.pk], "charge_type": "no_charge"}),
        client.post("/time/timers/start/", {"matter": given.matter_id, "timekeeper": associate.pk}),
        client.get("/expenses/new/"),
        client.post(f"/expenses/{cost.pk}/delete/"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert snapshot_entry(given) == before
    assert Expense.objects.filter(pk=cost.pk).exists()
    assert not Timer.objects.exists()


def test_an_attorney_sees_and_edits_only_their_own_timekeepers_time(client, firm, matter, associate, partner):
    user = login(client, firm, "attorney", "jane@arnsley.example")
    with scopes_disabled():
        type(associate).objects.filter(pk=associate.pk).update(user=user)
    mine, theirs = entry(firm, matter, associate), entry(firm, matter, partner)
    before = snapshot_entry(theirs)

    html = client.get("/time/").content.decode()
    assert f'id="entry-{mine.pk}"' in html and f'id="entry-{theirs.pk}"' not in html
    assert client.get(f"/time/{mine.pk}/edit/", **HX).status_code == 200
    assert client.get(f"/time/{theirs.pk}/edit/", **HX).status_code == 404
    assert client.post(f"/time/{theirs.pk}/edit/", {"narrative": "x"}).status_code == 404
    client.post("/time/bulk/charge/", {"ids": [theirs.pk], "charge_type": "no_charge"})
    assert snapshot_entry(theirs) == before

    form = client.get("/time/new/").content.decode()
    assert f'<option value="{associate.pk}" selected>JD · Jane Doe</option>' in form
    assert "RA · Robert Arnsley" not in form
    response = client.post("/time/new/", {"timekeeper": partner.pk, "matter": matter.pk, "worked_on": "2026-03-02",
                                          "hours": "1", "narrative": "Not my time"})
    assert "Select a valid choice" in response.content.decode()
    assert TimeEntry.objects.filter(timekeeper=partner).count() == 1


def test_another_firms_ids_are_404_for_every_page(client, firm, other_firm, matter, associate):
    given = entry(firm, matter, associate)
    cost = expense(firm, matter)
    before = snapshot_entry(given)
    with firm_scope(other_firm):
        outsider = factories.make_user(other_firm, email="boss@other.example", role="admin")
    client.force_login(outsider)

    for url in [f"/time/{given.pk}/edit/", f"/time/{given.pk}/row/", f"/expenses/{cost.pk}/edit/",
                f"/expenses/{cost.pk}/delete/"]:
        assert client.get(url, **HX).status_code == 404, url
        assert client.post(url, {"narrative": "taken over", "description": "x"}).status_code == 404, url
    assert f'id="entry-{given.pk}"' not in client.get("/time/").content.decode()
    assert snapshot_entry(given) == before
    assert Expense.objects.filter(pk=cost.pk).exists()
