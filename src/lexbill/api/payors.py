"""/matters/{id}/payors: split billing — who pays which share of a matter's bills (one invoice each at issue)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from lexbill.clients.models import Matter, MatterPayor
from lexbill.clients.selectors import client_by_code
from lexbill.clients.services_payors import PayorShare, matter_payors, matter_payors_set, parse_share
from lexbill.core.percent import percent_text

from .access import allow
from .auth import actor
from .common import ObjectId, get_or_404, related
from .schemas import ErrorOut, InSchema

router = Router(tags=["matters"])

Share = Field(..., pattern=r"^[0-9]{1,3}(\.[0-9]{1,2})?$", examples=["60", "33.33"],
              description="percent of every bill, at most 2 decimals")


class PayorIn(InSchema):
    client: str = Field(..., min_length=1, max_length=30, description="client code")
    share: str = Share
    client_matter_id: str = Field("", max_length=60, description="the payor's own matter id (LEDES)")


class PayorsIn(InSchema):
    payors: list[PayorIn] = Field(..., max_length=10, description="the whole list; [] ends split billing")


class PayorOut(Schema):
    client: str
    share: str
    share_bp: int
    client_matter_id: str


class PayorsOut(Schema):
    matter: str
    payors: list[PayorOut]


def _out(matter: Matter, rows: list[MatterPayor]) -> dict[str, Any]:
    return {"matter": matter.number, "payors": [
        {"client": r.client.code, "share": percent_text(r.share_bp), "share_bp": r.share_bp,
         "client_matter_id": r.client_matter_id} for r in rows]}


@router.get("/{matter_id}/payors", response={200: PayorsOut, 404: ErrorOut})
@allow("payors.view")
def get_payors(request: HttpRequest, matter_id: ObjectId) -> dict[str, Any]:
    matter = get_or_404(Matter.objects.all(), matter_id, "matter")
    return _out(matter, matter_payors(matter))


@router.put("/{matter_id}/payors", response={200: PayorsOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("payors.change")
def set_payors(request: HttpRequest, matter_id: ObjectId, payload: PayorsIn) -> dict[str, Any]:
    """Replace the payors; their shares must add up to 100. Nothing changes when the request is refused."""
    matter = get_or_404(Matter.objects.all(), matter_id, "matter")
    wanted = [PayorShare(related(client_by_code, p.client, "client"), parse_share(p.share), p.client_matter_id)
              for p in payload.payors]
    matter_payors_set(matter=matter, actor=actor(request), payors=wanted)
    return _out(matter, matter_payors(matter))
