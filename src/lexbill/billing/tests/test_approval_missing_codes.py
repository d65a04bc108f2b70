"""Approval refuses lines missing a UTBMS code the client requires when the client's setting says so (the
default), and only warns when it says "warn" (issue #9, defect 6)."""

from datetime import UTC, datetime

import pytest

from lexbill.billing.models import ClientBillingSettings, PreBill, PreBillLine, client_billing_settings
from lexbill.billing.services.approval import MissingCodesRefused, prebill_approve
from lexbill.billing.services.settings import client_billing_settings_update
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing.settings_rows import set_client_settings

from .review_helpers import lines_of, march_prebill, state

NOW = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def uncoded(firm, client_acme, matter, partner, associate):
    """A pre-bill for a client requiring litigation and activity codes; JD's line has none."""
    prebill = march_prebill(firm, matter, partner, associate)
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()
    _ra, jd, _copies = lines_of(prebill)
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="", activity_code="")
    return prebill, jd


def test_a_client_refuses_uncoded_lines_by_default(uncoded, admin_user, client_acme):
    # Given the default setting (no settings row: refuse) and JD's uncoded line
    prebill, jd = uncoded
    assert client_billing_settings(client_acme).missing_codes == "refuse"
    before = state(prebill)
    # When the bill is approved, then it is refused naming the line and what it lacks; nothing changed
    with pytest.raises(MissingCodesRefused) as refused:
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW)
    assert refused.value.code == "missing_codes"
    assert refused.value.message == (
        f"pre-bill {prebill.pk} has 1 line without the UTBMS codes client ACME requires (line {jd.pk}: missing task "
        "code (required: litigation), missing activity code (required: activity)): code them on review (client "
        "ACME refuses uncoded lines at approval)")
    assert state(prebill) == before


def test_the_override_reason_for_queries_does_not_pass_uncoded_lines(uncoded, admin_user):
    prebill, _jd = uncoded
    with pytest.raises(MissingCodesRefused):
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="Agreed")
    assert PreBill.objects.get(pk=prebill.pk).status == "draft"


def test_a_client_set_to_warn_is_approved_with_the_lines_flagged(uncoded, admin_user, client_acme):
    prebill, _jd = uncoded
    set_client_settings(client_acme, missing_codes="warn")
    assert prebill_approve(prebill=prebill, actor=admin_user, now=NOW).status == "approved"


def test_coded_lines_are_approved(uncoded, admin_user):
    prebill, jd = uncoded
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="L120", activity_code="A102")
    assert prebill_approve(prebill=prebill, actor=admin_user, now=NOW).status == "approved"


def test_the_setting_is_changed_checked_and_audited(client_acme, admin_user):
    client_billing_settings_update(client=client_acme, actor=admin_user, missing_codes=" Warn ")
    assert ClientBillingSettings.objects.get(client=client_acme).missing_codes == "warn"
    event = AuditEvent.objects.get(action="client.billing_settings")
    assert (event.before, event.after) == ({"missing_codes": "refuse"}, {"missing_codes": "warn"})
    with pytest.raises(ValidationFailed, match="unknown missing-codes setting 'ignore' \\(choose from refuse, warn\\)"):
        client_billing_settings_update(client=client_acme, actor=admin_user, missing_codes="ignore")
    assert ClientBillingSettings.objects.get(client=client_acme).missing_codes == "warn"
    assert AuditEvent.objects.filter(action="client.billing_settings").count() == 1
