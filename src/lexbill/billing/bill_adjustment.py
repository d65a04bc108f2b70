"""Whether a pre-bill's lines carry a whole-bill write-down (or write-up), and how documents name it.

A whole-bill write is spread over the lines (billing/services/review.py, `_write_bill`): that is what the
database and LEDES hold. A client reads it better as one line below the lines at their full amounts, so the
issue freezes its name in the invoice's snapshot (billing/snapshot.py) and the pro forma asks here too.
The write is known from the pre-bill's own edit record (the last `prebill.write_amount` or
`prebill.write_percent` event, which lists each line's share); the pure rule is `domain.adjust.whole_bill_label`.
"""

from __future__ import annotations

from collections.abc import Iterable

from lexbill.core.models import AuditEvent

from .domain.adjust import whole_bill_label
from .models import LineKind, PreBillLine

WHOLE_BILL_ACTIONS = ("prebill.write_amount", "prebill.write_percent")


def whole_bill_adjustment_label(prebill_id: int, lines: Iterable[PreBillLine]) -> str:
    """One query: the label of the whole-bill write standing on `lines` (the lines billed), or ""."""
    last = (AuditEvent.objects.filter(entity="prebill", entity_id=str(prebill_id), action__in=WHOLE_BILL_ACTIONS)
            .order_by("-pk").values_list("after", flat=True).first())
    return whole_bill_label(last, [(line.pk, line.adjustment_minor) for line in lines
                                   if line.kind != LineKind.ADJUSTMENT])
