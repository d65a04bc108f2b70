"""Lines that leave a pre-bill during review: moved to another matter, or held for next month.

Both put the time entry (or expense) back into WIP (status open) and take the line off the bill
(`is_current` False), keeping the line itself as the record of what was there.

- A moved entry goes to WIP on its new matter, not onto that matter's open pre-bill: the next bill run of that
  matter bills it at the rate that applies there (rates depend on the matter), and a pre-bill someone else may
  be reviewing does not change under them.
- A held entry stays out of every bill run whose cut-off is on or before the held pre-bill's period end
  (`selectors_prebill.held_entry_ids`), so a rerun of the same month does not pick it up again; next month's
  run bills it.

Edits made on the line (hours billed, adjustments, narrative) stay with the line and are not carried to the
entry: the next bill run starts again from the entry as recorded.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import enforce
from lexbill.clients.models import Matter
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.transactions import service_transaction
from lexbill.timekeeping.models import EntryStatus, Expense, TimeEntry

from ..models import PreBillLine
from .review import lock_line, record


def _lock_work(line: PreBillLine) -> TimeEntry | Expense:
    work: TimeEntry | Expense
    if line.time_entry_id is not None:
        work = TimeEntry.objects.select_for_update().get(pk=line.time_entry_id)
    elif line.expense_id is not None:
        work = Expense.objects.select_for_update().get(pk=line.expense_id)
    else:
        raise ValidationFailed(f"line {line.pk} is a {line.get_kind_display().lower()} line: only time and "
                               "expense lines can be moved or held")
    if work.status != EntryStatus.ON_PREBILL:
        raise Conflict(f"the work on line {line.pk} is {work.get_status_display().lower()}")
    return work


def _work_ref(work: TimeEntry | Expense) -> dict[str, int]:
    return {"time_entry": work.pk} if isinstance(work, TimeEntry) else {"expense": work.pk}


def prebill_line_move(*, line: PreBillLine, to_matter: Matter, actor: User | None,
                      now: datetime | None = None) -> PreBillLine:
    """Move a line's work to another matter of the same firm and currency; it leaves this pre-bill."""
    enforce(actor, line.firm_id, "prebills.change")
    with service_transaction():
        prebill, locked = lock_line(line)
        if to_matter.firm_id != prebill.firm_id:
            raise NotFound("no such matter")
        if to_matter.pk == locked.matter_id:
            raise ValidationFailed(f"line {locked.pk} is already on matter {to_matter.number}", field="matter")
        if to_matter.currency != prebill.currency:
            raise ValidationFailed(f"matter {to_matter.number} bills in {to_matter.currency}, this pre-bill in "
                                   f"{prebill.currency}", field="matter")
        if not to_matter.is_open:
            raise ValidationFailed(f"matter {to_matter.number} is closed", field="matter")
        work = _lock_work(locked)
        from_matter = Matter.objects.get(pk=work.matter_id)
        work.matter = to_matter
        work.status = EntryStatus.OPEN
        work.save(update_fields=["matter", "status", "updated_at"])
        locked.is_current = False
        locked.save(update_fields=["is_current"])
        at = now or timezone.now()
        audit_record(firm=prebill.firm, actor=actor, action=f"{'time' if isinstance(work, TimeEntry) else 'expense'}"
                     ".move", instance=work, at=at,
                     before={"matter": from_matter.number, "status": EntryStatus.ON_PREBILL.value},
                     after={"matter": to_matter.number, "status": EntryStatus.OPEN.value})
        record(prebill, actor=actor, action="line_move", now=at,
               before={"line": locked.pk, "matter": from_matter.number, "is_current": True, **_work_ref(work)},
               after={"line": locked.pk, "matter": to_matter.number, "is_current": False, **_work_ref(work)})
    return locked


def prebill_line_hold(*, line: PreBillLine, actor: User | None, now: datetime | None = None) -> PreBillLine:
    """Hold a line for next month: its work goes back to WIP but this month's bill runs skip it."""
    enforce(actor, line.firm_id, "prebills.change")
    with service_transaction():
        prebill, locked = lock_line(line)
        work = _lock_work(locked)
        work.status = EntryStatus.OPEN
        work.save(update_fields=["status", "updated_at"])
        locked.is_current = False
        locked.is_held = True
        locked.save(update_fields=["is_current", "is_held"])
        record(prebill, actor=actor, action="line_hold", now=now,
               before={"line": locked.pk, "is_current": True, "is_held": False, **_work_ref(work)},
               after={"line": locked.pk, "is_current": False, "is_held": True,
                      "held_until_after": prebill.period_end, **_work_ref(work)})
    return locked

