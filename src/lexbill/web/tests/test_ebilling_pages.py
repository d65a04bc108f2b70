"""E-billing pages: the dashboard, a submission with the portal's answers, submit and LEDES downloads."""

from __future__ import annotations

from django.urls import reverse

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.profiles import profile_get
from lexbill.ebilling.ledes.writer import write_98bi
from lexbill.ebilling.models import Submission, SubmissionLine
from lexbill.ebilling.tests.submission_helpers import portal_invoice, submitted
from lexbill.testing import factories
from lexbill.testing.settings_rows import set_client_settings

from .records_support import audit_count, count_queries, login_as


def test_submit_from_the_invoice_page(client, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    login_as(client, firm, "billing")
    page = client.get(reverse("invoice_detail", args=[invoice.pk]))
    assert b"Submit to portal" in page.content and b'value="Legal Tracker"' in page.content
    response = client.post(reverse("invoice_submit", args=[invoice.pk]),
                           {"portal": "Legal Tracker", "format": "1998BI", "profile": ""})
    sub = Submission.objects.get()
    assert response.status_code == 302 and response.url == reverse("submission_detail", args=[sub.pk])
    assert (sub.ledes_format, sub.profile, sub.submitted_by.email) == ("1998BI", "standard", "billing@arnsley.example")
    detail = client.get(response.url)
    assert f"Submission {sub.pk}: {invoice.number} to Legal Tracker".encode() in detail.content
    assert sub.file_sha256.encode() in detail.content


def test_a_refused_submit_says_why_and_changes_nothing(client, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    login_as(client, firm, "admin")
    events = audit_count()
    response = client.post(reverse("invoice_submit", args=[invoice.pk]), {"portal": "", "profile": "odd"},
                           follow=True)
    assert "Not submitted: profile: Select a valid choice" in response.content.decode()
    set_client_settings(matter.client, ebilling_portal="")
    response = client.post(reverse("invoice_submit", args=[invoice.pk]), {"portal": ""}, follow=True)
    assert "Not submitted: client ACME has no e-billing portal" in response.content.decode()
    assert (Submission.objects.count(), audit_count()) == (0, events)


def test_ledes_download_is_a_fresh_file(client, firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    login_as(client, firm, "accounting")
    response = client.get(reverse("invoice_ledes", args=[invoice.pk]) + "?format=1998BI&profile=brightflag")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.txt"'
    assert response.content == write_98bi(invoice_document(invoice), profile_get("brightflag"))
    bad = client.get(reverse("invoice_ledes", args=[invoice.pk]) + "?format=2000", follow=True)
    assert "no LEDES format &#x27;2000&#x27;" in bad.content.decode()


def test_answers_reduce_a_line_then_write_it_down(client, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, firm, "admin")
    url = reverse("submission_answer", args=[sub.pk])
    response = client.post(url, {"status": "reduced", "line_number": "2", "reason_code": "TIME",
                                 "reason": "excessive", "amount": "120.00", "on": "2026-04-10"})
    assert response.status_code == 302
    page = client.get(reverse("submission_detail", args=[sub.pk])).content.decode()
    assert 'id="answer-2"' in page and "120.00" in page and "Write the reductions down" in page
    response = client.post(reverse("submission_writedown", args=[sub.pk]), follow=True)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert (note.subtotal_minor, note.credits_id) == (-12000, sub.invoice_id)
    assert f"Credit note {note.number} issued" in response.content.decode()


def test_a_bad_answer_shows_the_error_keeps_the_input_and_changes_nothing(client, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, firm, "billing")
    events = audit_count()
    response = client.post(reverse("submission_answer", args=[sub.pk]),
                           {"status": "reduced", "line_number": "7", "reason": "too long", "amount": "5.00",
                            "on": "2026-04-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "the file sent has no line 7 (lines 1 to 3)" in page and 'value="too long"' not in page
    assert "too long</textarea>" in page
    sub.refresh_from_db()
    assert (sub.status, SubmissionLine.objects.count(), audit_count()) == ("submitted", 0, events)


def test_rejected_then_resubmitted(client, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, firm, "admin")
    client.post(reverse("submission_answer", args=[sub.pk]), {"status": "rejected", "reason": "Matter closed",
                                                               "on": "2026-04-10"})
    # The same file again is refused (issue #9, defect 5), and nothing changes
    events = audit_count()
    response = client.post(reverse("submission_resubmit", args=[sub.pk]), {"format": "1998B",
                                                                           "profile": "standard"}, follow=True)
    assert (f"the file is unchanged since submission {sub.pk}: credit and re-bill the invoice, or correct the "
            "export first") in response.content.decode()
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count(), audit_count()) == ("rejected", 1, events)
    # A corrected export is resubmitted and its page says what changed
    response = client.post(reverse("submission_resubmit", args=[sub.pk]), {"format": "1998BI",
                                                                           "profile": "standard"})
    new = Submission.objects.exclude(pk=sub.pk).get()
    assert response.url == reverse("submission_detail", args=[new.pk])
    sub.refresh_from_db()
    assert (sub.status, new.corrects_id) == ("superseded", sub.pk)
    page = client.get(response.url).content.decode()
    assert '<dd id="changes">format 1998B -&gt; 1998BI</dd>' in page


def test_the_re_bill_is_offered_and_resubmitted(client, firm, matter, partner, associate):
    from lexbill.ebilling.tests.test_resubmission import rebilled_with_line_2_written_down, rejected

    old = rejected(firm, matter, partner, associate)
    rebill = rebilled_with_line_2_written_down(old.invoice, down_minor=15000)
    login_as(client, firm, "billing")
    page = client.get(reverse("submission_detail", args=[old.pk])).content.decode()
    assert f'<option value="{rebill.pk}">{rebill.number} (re-bill, issued 2026-04-09, 1,225.10)</option>' in page
    response = client.post(reverse("submission_resubmit", args=[old.pk]), {"invoice": rebill.pk})
    new = Submission.objects.get(invoice=rebill)
    assert response.url == reverse("submission_detail", args=[new.pk])
    page = client.get(response.url).content.decode()
    assert (f'<dd id="changes">invoice {old.invoice.number} -&gt; {rebill.number}; 1 line changed (line 2: '
            "600.00 -&gt; 450.00); total 1375.10 -&gt; 1225.10</dd>") in page


def test_dashboard_groups_and_fixed_query_count(client, firm, matter, partner, associate):
    first = submitted(firm, matter, partner, associate)
    login_as(client, firm, "accounting")
    url = reverse("ebilling_dashboard")
    one, response = count_queries(client, url)
    assert f'id="submission-{first.pk}"'.encode() in response.content
    for _ in range(3):
        other = factories.make_matter(firm, client=matter.client, billing_attorney=partner)
        submitted(firm, other, partner, associate)
    four, response = count_queries(client, url)
    assert "Waiting for the portal (4)" in response.content.decode()
    assert four == one
