from datetime import date

from lexbill.billing.domain.lines import BillTotals
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.models import EntryStatus, TimeEntry


def test_make_prebill_builds_lines_like_a_bill_run(firm, matter, partner, associate):
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft complaint"),
                                               (associate, date(2026, 3, 3), "0.3", "Research")],
                           expenses=[(date(2026, 3, 4), "Copies", 15, "3")])
    lines = list(prebill.lines.order_by("position"))
    assert [(line.kind, line.rate_minor, line.base_minor) for line in lines] == [
        ("fee", 50000, 75000), ("fee", 30000, 9000), ("expense", None, 45)]
    assert BillTotals.of(lines).subtotal_minor == 84045
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {EntryStatus.ON_PREBILL}
