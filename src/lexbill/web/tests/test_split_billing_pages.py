"""Split billing in the web: the matter's payors page, the pre-bill showing them, issuing one invoice per payor,
and each invoice page naming the others."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from lexbill.billing.models import Invoice, PreBillStatus
from lexbill.clients.models import MatterPayor
from lexbill.clients.services_payors import PayorShare, matter_payors_set
from lexbill.core.models import AuditEvent
from lexbill.testing import factories

from .records_support import login_as
from .review_support import acme_prebill


@pytest.fixture
def insurer(firm):  # type: ignore[no-untyped-def]
    return factories.make_client(firm, code="INSCO", name="Insurance Co.")


@pytest.fixture
def clerk(firm):  # type: ignore[no-untyped-def]
    http = HttpClient()
    login_as(http, firm, "billing")
    return http


def rows(*payors: tuple[str, str, str], blank: int = 1) -> dict[str, str]:
    data = {"payor-TOTAL_FORMS": str(len(payors) + blank), "payor-INITIAL_FORMS": "0",
            "payor-MIN_NUM_FORMS": "0", "payor-MAX_NUM_FORMS": "10"}
    for i, (code, share, ref) in enumerate([*payors, *[("", "", "")] * blank]):
        data |= {f"payor-{i}-client": code, f"payor-{i}-share": share, f"payor-{i}-client_matter_id": ref}
    return data


def test_the_clerk_splits_a_matter_and_the_matter_page_shows_it(clerk, matter, insurer):
    url = reverse("matter_payors", args=[matter.pk])
    response = clerk.post(url, rows(("insco", "60", "CLM-9"), ("ACME", "40", "")))
    assert response.status_code == 302
    assert [(p.client.code, p.share_bp, p.client_matter_id) for p in MatterPayor.objects.order_by("-share_bp")] == [
        ("INSCO", 6000, "CLM-9"), ("ACME", 4000, "")]
    page = clerk.get(reverse("matter_detail", args=[matter.pk])).content.decode()
    assert "INSCO</a> 60.00 % (their id CLM-9)" in page
    form = clerk.get(url).content.decode()
    assert 'value="INSCO"' in form and 'value="60"' in form


@pytest.mark.parametrize(("data", "message"), [
    (rows(("INSCO", "60", ""), ("ACME", "30", "")), "the shares add up to 90.00 %, not 100 %"),
    (rows(("NOBODY", "100", "")), "No client with code NOBODY."),
    (rows(("INSCO", "sixty", "")), "&#x27;sixty&#x27; is not a percentage"),
    (rows(("INSCO", "", "")), "Give the payor&#x27;s share."),
])
def test_bad_rows_are_shown_back_and_nothing_is_saved(clerk, matter, insurer, data, message):
    response = clerk.post(reverse("matter_payors", args=[matter.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MatterPayor.objects.exists()
    assert not AuditEvent.objects.filter(action="matter.payors").exists()


def test_a_read_only_user_cannot_change_payors(firm, matter, insurer):
    http = HttpClient()
    login_as(http, firm, "attorney")
    assert http.post(reverse("matter_payors", args=[matter.pk]), rows(("INSCO", "100", ""))).status_code == 403
    assert not MatterPayor.objects.exists()


def test_issuing_a_split_pre_bill_makes_one_invoice_per_payor(firm, clerk, matter, partner, associate, insurer,
                                                            client_acme):
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(insurer, 6000), PayorShare(client_acme, 4000)])
    prebill = acme_prebill(firm, matter, partner, associate, status=PreBillStatus.APPROVED)
    review = clerk.get(f"/prebills/{prebill.pk}/").content.decode()
    assert "INSCO 60.00 % · ACME 40.00 %" in review and "issuing makes one invoice per payor" in review

    response = clerk.post(f"/prebills/{prebill.pk}/issue/", follow=True)

    big, small = Invoice.objects.order_by("number")
    assert "Split billing: invoices 2026-00001, 2026-00002 issued, one per payor." in response.content.decode()
    assert (big.client.code, big.subtotal_minor, small.client.code, small.subtotal_minor) == (
        "INSCO", 83700, "ACME", 55800)  # 1,395.00 split 60/40
    page = clerk.get(reverse("invoice_detail", args=[big.pk])).content.decode()
    assert "this payor's share: 60.00 %" in page and "2026-00002</a> (ACME, 40.00 %)" in page
    review = clerk.get(f"/prebills/{prebill.pk}/").content.decode()
    assert review.count('<dt>Invoice</dt>') == 2
