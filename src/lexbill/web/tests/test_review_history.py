"""The review page's edit history reads in people's words, never field or action names (issue #9)."""

from __future__ import annotations

import re

from django.test import Client as HttpClient

from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.review import prebill_line_set_no_charge, prebill_line_write_percent, prebill_submit
from lexbill.billing.services.review_queries import prebill_query_add

from .review_support import acme_prebill, lines_of, login


def test_the_history_tells_what_happened(firm, matter, partner, associate, admin_user):  # type: ignore[no-untyped-def]
    # Given a pre-bill whose JD line was written down 10 %, RA's made no charge, a query asked about the courier,
    # then submitted and approved despite the query
    prebill = acme_prebill(firm, matter, partner, associate)
    jd, ra, courier = lines_of(prebill)
    prebill_line_write_percent(line=jd, percent="10", actor=admin_user)
    prebill_line_set_no_charge(line=ra, is_no_charge=True, actor=admin_user)
    prebill_query_add(prebill=prebill, line=courier, question="Courier or post?", actor=admin_user)
    prebill_submit(prebill=prebill, actor=admin_user)
    prebill_approve(prebill=prebill, actor=admin_user, override_open_queries_reason="Client pays couriers")
    http = HttpClient()
    login(http, firm, "billing")
    # When the clerk opens the review page
    html = http.get(f"/prebills/{prebill.pk}/").content.decode()
    # Then the history says it in sentences
    section = html[html.index('id="prebill-history"'):]
    said = re.findall(r'<td class="change">(.*?)</td>', section)
    assert said == [
        f"Wrote line {jd.pk} down 10 % (−60.00)",
        f"Marked line {ra.pk} no charge (was 750.00)",
        f"Asked a query on line {courier.pk}: “Courier or post?”",
        "Submitted for review",
        "Approved despite 1 open query: “Client pays couriers”",
    ]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", section.split("<tbody>", 1)[1])
