"""At issue, what the documents show is frozen on the invoice, set-wise (no query per line or per payor)."""

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.billing.models import PreBillStatus
from lexbill.billing.services.issue import invoices_issue
from lexbill.clients.models import ClientContact
from lexbill.clients.services_payors import PayorShare, matter_payors_set
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)
ISSUED_ON = date(2026, 4, 2)


def _issue_counting_queries(prebill):
    with CaptureQueriesContext(connection) as ctx:
        invoices = invoices_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    return invoices, len(ctx.captured_queries)


def test_issuing_costs_the_same_queries_for_two_lines_or_twelve(firm, matter, partner, associate):
    # Given a two-line pre-bill (a fee, an expense) and a twelve-line one (two timekeepers, expenses), the number series in use
    first = make_prebill(firm, matter, status=PreBillStatus.APPROVED, work=[(partner, date(2026, 3, 1), "1.0", "A")])
    _issue_counting_queries(first)
    two = make_prebill(firm, matter, status=PreBillStatus.APPROVED, work=[(partner, date(2026, 3, 2), "1.0", "A")],
                       expenses=[(date(2026, 3, 5), "Courier", 2510, "1")])
    twelve = make_prebill(
        firm, matter, status=PreBillStatus.APPROVED,
        work=[(partner if n % 2 else associate, date(2026, 3, 2 + n), "0.5", f"Work {n}") for n in range(10)],
        expenses=[(date(2026, 3, 5), "Courier", 2510, "1"), (date(2026, 3, 6), "Copies", 15, "12")])
    # When both are issued
    _, small = _issue_counting_queries(two)
    (invoice,), large = _issue_counting_queries(twelve)
    # Then twelve lines take no more statements than two, and the snapshot holds both people
    assert large == small
    assert sorted(v["initials"] for v in invoice.snapshot["timekeepers"].values()) == ["JD", "RA"]


def test_each_payor_of_a_split_matter_gets_its_own_name_address_and_billing_contacts(firm, matter, client_acme,
                                                                                       partner, associate):
    # Given a matter split 40/60 between its client and an insurer, each with a billing contact
    insurer = factories.make_client(firm, code="INSCO", name="Insurance Co.", city="Hartford",
                                    ledes_client_id="INSCO-LEDES")
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(client_acme, 4000),
                                                         PayorShare(insurer, 6000, "CLM-2291")])
    for client, name in ((client_acme, "Wile Coyote"), (insurer, "Claims Desk")):
        ClientContact.objects.create(firm=firm, client=client, name=name, email=f"{client.code}@example.com",
                                     is_billing_contact=True)
    prebill = make_prebill(firm, matter, status=PreBillStatus.APPROVED,
                           work=[(partner, date(2026, 3, 2), "1.0", "Advice")])
    # When it is issued
    big, small = invoices_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)
    # Then each invoice froze its own payor
    assert {k: big.snapshot["client"][k] for k in ("code", "name", "city", "ledes_client_id")} == {
        "code": "INSCO", "name": "Insurance Co.", "city": "Hartford", "ledes_client_id": "INSCO-LEDES"}
    assert big.snapshot["client"]["billing_contacts"] == [
        {"name": "Claims Desk", "email": "INSCO@example.com", "phone": "", "role": ""}]
    assert (small.snapshot["client"]["code"], small.snapshot["client"]["billing_contacts"][0]["name"]) == (
        "ACME", "Wile Coyote")
    assert big.snapshot["matters"] == small.snapshot["matters"] == {
        str(matter.pk): {"number": "ACME-001", "name": "Acme v. Widget Co.", "client_matter_id": ""}}
