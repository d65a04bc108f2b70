"""Who may do what on the e-billing pages: admin/billing act, attorney/accounting look, client and another
firm get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lexbill.ebilling.models import Submission
from lexbill.ebilling.tests.submission_helpers import submitted
from lexbill.web.tests.invoices_support import link_user

from .records_support import audit_count, login_as


def _posts(sub):
    return [(reverse("submission_answer", args=[sub.pk]), {"status": "accepted", "on": "2026-04-10"}),
            (reverse("submission_resubmit", args=[sub.pk]), {}),
            (reverse("submission_writedown", args=[sub.pk]), {}),
            (reverse("invoice_submit", args=[sub.invoice_id]), {"portal": "X"})]


def _gets(sub):
    return [reverse("ebilling_dashboard"), reverse("submission_detail", args=[sub.pk]),
            reverse("submission_file", args=[sub.pk]), reverse("invoice_ledes", args=[sub.invoice_id])]


@pytest.mark.parametrize("role", ["attorney", "accounting"])
def test_read_only_roles_look_but_cannot_act(client, firm, matter, partner, associate, role):
    sub = submitted(firm, matter, partner, associate)
    link_user(partner, login_as(client, firm, role))
    events = audit_count()
    assert [client.get(url).status_code for url in _gets(sub)] == [200, 200, 200, 200]
    assert b"Record the portal" not in client.get(reverse("submission_detail", args=[sub.pk])).content
    assert [client.post(url, data).status_code for url, data in _posts(sub)] == [403, 403, 403, 403]
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count(), audit_count()) == ("submitted", 1, events)


def test_an_attorney_does_not_see_other_attorneys_submissions(client, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, firm, "attorney")  # not linked to the matter's billing attorney
    assert client.get(reverse("submission_detail", args=[sub.pk])).status_code == 404
    assert f'id="submission-{sub.pk}"'.encode() not in client.get(reverse("ebilling_dashboard")).content


def test_client_users_get_404(client, firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, firm, "client")
    assert {client.get(url).status_code for url in _gets(sub)} == {404}
    assert {client.post(url, data).status_code for url, data in _posts(sub)} == {404}


def test_another_firms_user_gets_404(client, firm, other_firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    login_as(client, other_firm, "admin")
    assert [client.get(url).status_code for url in _gets(sub)[1:]] == [404, 404, 404]
    assert {client.post(url, data).status_code for url, data in _posts(sub)} == {404}
    sub.refresh_from_db()
    assert sub.status == "submitted"
