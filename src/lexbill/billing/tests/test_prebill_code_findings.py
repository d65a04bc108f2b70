"""Pre-bill lines missing a required UTBMS code (or carrying one outside the sets) are flagged, by the selector
and on the review page."""

from __future__ import annotations

from django.test import Client as HttpClient

from lexbill.billing.models import PreBillLine
from lexbill.billing.selectors_codes import prebill_code_findings
from lexbill.web.tests.review_support import acme_prebill, lines_of, login


def test_no_required_sets_no_findings(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    prebill = acme_prebill(firm, matter, partner, associate)
    PreBillLine.objects.filter(prebill=prebill).update(task_code="", activity_code="", expense_code="")
    assert prebill_code_findings(prebill) == {}


def test_lines_missing_a_required_code_are_flagged(firm, client_acme, matter, partner,  # type: ignore[no-untyped-def]
                                                   associate):
    # Given a pre-bill of JD's and RA's time and a courier, for a client that requires litigation + activity
    # + expense codes
    prebill = acme_prebill(firm, matter, partner, associate)
    jd, ra, courier = lines_of(prebill)
    client_acme.utbms_code_sets = ["litigation", "activity", "expense"]
    client_acme.save()
    # When JD's line has no codes, RA's has no activity code and the courier has no expense code
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="", activity_code="")
    PreBillLine.objects.filter(pk=ra.pk).update(activity_code="")
    PreBillLine.objects.filter(pk=courier.pk).update(expense_code="")
    # Then each is flagged with what is missing
    assert prebill_code_findings(prebill) == {
        jd.pk: ["missing task code (required: litigation)", "missing activity code (required: activity)"],
        ra.pk: ["missing activity code (required: activity)"],
        courier.pk: ["missing expense code (required: expense)"],
    }


def test_the_matter_list_overrides_the_client_and_held_lines_are_skipped(  # type: ignore[no-untyped-def]
        firm, client_acme, matter, partner, associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    jd, ra, _courier = lines_of(prebill)
    client_acme.utbms_code_sets = ["litigation"]
    client_acme.save()
    matter.utbms_code_sets = ["bankruptcy"]
    matter.save()
    PreBillLine.objects.filter(pk=ra.pk).update(is_current=False, is_held=True)
    assert prebill_code_findings(prebill) == {
        jd.pk: ["L120 is a litigation code; this matter requires bankruptcy"]}


def test_the_review_page_lists_the_flagged_lines(firm, client_acme, matter, partner,  # type: ignore[no-untyped-def]
                                                 associate):
    prebill = acme_prebill(firm, matter, partner, associate)
    jd, ra, _courier = lines_of(prebill)
    http = HttpClient()
    login(http, firm, "billing")
    assert 'id="code-findings"' not in http.get(f"/prebills/{prebill.pk}/").content.decode()

    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="")
    html = http.get(f"/prebills/{prebill.pk}/").content.decode()
    assert "UTBMS codes: 1 line to fix before e-billing" in html
    assert (f'<li id="code-finding-{jd.pk}">2026-03-02 · JD · Drafted motion: '
            "missing task code (required: litigation)</li>") in html
    assert f'id="code-finding-{ra.pk}"' not in html
