"""Find anything: one selector for the web, the API and the CLI, under the access policy (issue #9)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.access import actor_for
from lexbill.billing.selectors_search import search_records
from lexbill.billing.services.issue import invoice_issue
from lexbill.cli.main import _register, cli
from lexbill.core.errors import ValidationFailed
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .billing_helpers import approved_prebill


@pytest.fixture
def world(firm, matter, partner, associate, client_acme):  # type: ignore[no-untyped-def]
    """ACME-001 (RA's) with an issued invoice and a draft pre-bill; GLOBEX-001 (JD's) with a draft pre-bill."""
    globex = factories.make_client(firm, code="GLOBEX", name="Globex Acme Holdings")
    theirs = factories.make_matter(firm, client=globex, billing_attorney=associate, number="GLOBEX-001",
                                   name="Globex licensing")
    invoice = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                            issued_on=date(2026, 4, 2))
    own_draft = make_prebill(firm, matter, work=[(partner, date(2026, 3, 20), "1.0", "Call")])
    their_draft = make_prebill(firm, theirs, work=[(associate, date(2026, 3, 21), "1.0", "Call")])
    return {"invoice": invoice, "own_draft": own_draft, "their_draft": their_draft, "globex": globex,
            "theirs": theirs}


def numbers(results) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {kind: [hit.number for hit in hits] for kind, hits in results.hits.items()}


def test_a_name_finds_clients_matters_invoices_and_prebills_in_any_case(world, matter):
    found = search_records(actor=None, query="aCmE")

    assert numbers(found) == {
        "clients": ["ACME", "GLOBEX"],  # Acme Corp, Globex Acme Holdings (by name)
        "matters": ["ACME-001"],
        "invoices": [world["invoice"].number],
        "prebills": [f"PB-{world['their_draft'].pk}", f"PB-{world['own_draft'].pk}",  # newest first
                     f"PB-{world['invoice'].prebill_id}"],
    }
    assert found.more == {"clients": False, "matters": False, "invoices": False, "prebills": False}


def test_a_number_finds_the_invoice_and_pb_names_a_prebill(world):
    assert numbers(search_records(actor=None, query=world["invoice"].number.lower()))["invoices"] == [
        world["invoice"].number]
    assert numbers(search_records(actor=None, query=f"pb-{world['their_draft'].pk}"))["prebills"] == [
        f"PB-{world['their_draft'].pk}"]


def test_an_attorney_finds_only_her_own_invoices_and_prebills(world, firm, partner, associate):
    user = factories.make_user(firm, email="jd@arnsley.example", role="attorney")
    Timekeeper.objects.filter(pk=associate.pk).update(user=user)

    found = search_records(actor=actor_for(user, firm), query="acme")

    # JD bills GLOBEX-001 only: she still finds every client and matter (all staff see those), but none of
    # RA's invoices or pre-bills, and nothing hints that they exist.
    assert numbers(found) == {"clients": ["ACME", "GLOBEX"], "matters": ["ACME-001"], "invoices": [],
                              "prebills": [f"PB-{world['their_draft'].pk}"]}
    assert numbers(search_records(actor=actor_for(user, firm), query=world["invoice"].number))["invoices"] == []


def test_a_client_user_finds_nothing(world, firm):
    user = factories.make_user(firm, email="ap@acme.example", role="client")

    assert search_records(actor=actor_for(user, firm), query="acme").count == 0


def test_each_kind_stops_at_the_limit_in_four_queries_whatever_the_number_of_rows(firm, partner):
    for n in range(12):
        factories.make_client(firm, code=f"ZED{n:02d}", name=f"Zed Industries {n:02d}")

    with CaptureQueriesContext(connection) as queries:
        found = search_records(actor=None, query="zed", limit=5)

    assert len(queries) == 4
    assert numbers(found)["clients"] == ["ZED00", "ZED01", "ZED02", "ZED03", "ZED04"]
    assert found.more["clients"] is True


def test_an_empty_query_finds_nothing_and_an_overlong_one_is_refused(world):
    assert search_records(actor=None, query="   ").count == 0
    with pytest.raises(ValidationFailed, match="at most 100 characters"):
        search_records(actor=None, query="x" * 101)


def test_the_cli_prints_the_groups_and_json(world):
    _register()
    runner = CliRunner()

    text = runner.invoke(cli, ["search", "globex"])
    as_json = runner.invoke(cli, ["search", "GLOBEX-001", "--json"])
    nothing = runner.invoke(cli, ["search", "nobody-by-that-name"])

    assert text.exit_code == 0, text.output
    assert text.output.splitlines() == [
        "Clients:", "  GLOBEX           Globex Acme Holdings",
        "Matters:", "  GLOBEX-001       Globex licensing  (Globex Acme Holdings · Open)",
        "Pre-bills:", f"  PB-{world['their_draft'].pk:<13} Globex Acme Holdings  (GLOBEX-001 · Draft)"]
    data = json.loads(as_json.output)
    assert data["results"]["matters"] == [{"id": world["theirs"].pk, "number": "GLOBEX-001",
                                           "name": "Globex licensing", "detail": "Globex Acme Holdings · Open"}]
    assert (nothing.exit_code, nothing.output) == (0, "nothing matches 'nobody-by-that-name'\n")
