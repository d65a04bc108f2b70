"""Work a reviewer held for next month skips a bill run with the same cut-off and goes on the next one."""

from datetime import date

from lexbill.billing.models import PreBillLine, PreBillStatus
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.review_moves import prebill_line_hold
from lexbill.testing.billing import make_prebill


def test_held_work_waits_for_a_later_cut_off(firm, matter, partner, associate):
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.0", "Draft complaint"),
                                               (associate, date(2026, 3, 3), "2.0", "Research")],
                           period_end=date(2026, 3, 31))
    held = prebill.lines.get(narrative="Research")
    prebill_line_hold(line=held, actor=None)
    prebill.status = PreBillStatus.CANCELLED  # the March bill goes its own way; the held line stays held
    prebill.save()

    march = billrun_run(firm=firm, through_on=date(2026, 3, 31), actor=None, matters=[matter])
    assert march.prebills_created == 0
    assert not PreBillLine.objects.filter(is_current=True, time_entry=held.time_entry).exists()

    april = billrun_run(firm=firm, through_on=date(2026, 4, 30), actor=None, matters=[matter])
    assert april.prebills_created == 1
    line = PreBillLine.objects.get(is_current=True, time_entry=held.time_entry)
    assert (line.prebill.bill_run_id, line.hours_billed, line.base_minor) == (april.pk, 2, 60000)
