"""Split billing: setting the payors of a matter (who pays which share of its bills).

The whole set is replaced at once, so the shares are checked together: no payors (the matter's client pays
everything), or distinct clients of the firm whose shares add up to exactly 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.core.audit import audit_record
from lexbill.core.errors import ValidationFailed
from lexbill.core.percent import percent_text
from lexbill.core.transactions import service_transaction

from .models import Client, Matter, MatterPayor

WHOLE_BP = 10_000  # billing.domain.split.WHOLE_BP; clients sit below billing and cannot import it


@dataclass(frozen=True)
class PayorShare:
    client: Client
    share_bp: int
    client_matter_id: str = ""


def _check(matter: Matter, payors: list[PayorShare]) -> None:
    seen: set[int] = set()
    for p in payors:
        if p.client.firm_id != matter.firm_id:
            raise ValidationFailed("no such client", field="payors")
        if p.client.pk in seen:
            raise ValidationFailed(f"client {p.client.code} is listed twice", field="payors")
        seen.add(p.client.pk)
        if not 0 < p.share_bp <= WHOLE_BP:
            raise ValidationFailed(f"{p.client.code}: a share must be more than 0 % and at most 100 %",
                                   field="payors")
        if len(p.client_matter_id) > 60:
            raise ValidationFailed(f"{p.client.code}: the payor's matter id is longer than 60 characters",
                                   field="payors")
    total = sum(p.share_bp for p in payors)
    if payors and total != WHOLE_BP:
        raise ValidationFailed(f"the shares add up to {percent_text(total)} %, not 100 %", field="payors")


def _as_audit(rows: list[MatterPayor] | list[PayorShare]) -> list[dict[str, object]]:
    return [{"client": r.client.code, "share_bp": r.share_bp, "client_matter_id": r.client_matter_id} for r in rows]


def matter_payors_set(*, matter: Matter, actor: User | None, payors: list[PayorShare]) -> list[MatterPayor]:
    """Replace the matter's payors (an empty list ends split billing). Nothing changes when a check fails."""
    enforce(actor, matter.firm_id, "payors.change", matter)
    payors = [PayorShare(p.client, p.share_bp, p.client_matter_id.strip()) for p in payors]
    _check(matter, payors)
    with service_transaction():
        Matter.objects.select_for_update().filter(pk=matter.pk).first()
        before = list(MatterPayor.objects.filter(matter=matter).select_related("client"))
        if _as_audit(before) == _as_audit(payors):
            return before
        MatterPayor.objects.filter(matter=matter).delete()
        rows = MatterPayor.objects.bulk_create([
            MatterPayor(firm_id=matter.firm_id, matter=matter, client=p.client, share_bp=p.share_bp,
                        client_matter_id=p.client_matter_id) for p in payors])
        audit_record(firm=matter.firm, actor=actor, action="matter.payors", instance=matter,
                     before={"payors": _as_audit(before)}, after={"payors": _as_audit(payors)})
    return rows


def matter_payors(matter: Matter) -> list[MatterPayor]:
    return list(MatterPayor.objects.filter(matter=matter).select_related("client").order_by("-share_bp", "pk"))


def parse_share(text: str) -> int:
    """A percentage as people type it ("60", "33.33", "12.5 %") -> basis points; at most 2 decimals."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed(f"'{text}' is not a percentage", field="share") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationFailed(f"'{text}': a share is a percentage from 0 to 100", field="share")
    bp = value * 100
    if bp != bp.to_integral_value():
        raise ValidationFailed(f"'{text}': a share has at most 2 decimals", field="share")
    return int(bp)
