"""/rates: effective-dated hourly rates (list, create, delete; a rate is replaced, never edited)."""


from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from lexbill.clients.selectors import client_by_code, matter_by_number
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_create, rate_delete
from lexbill.staff.selectors import timekeeper_by_initials

from .access import allow
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, minor, related
from .schemas import ErrorOut, RateIn, RateOut

router = Router(tags=["rates"])


def _rates() -> QuerySet[Rate]:
    return Rate.objects.select_related("timekeeper", "client", "matter").order_by("-effective_on", "-id")


@router.get("/", response=list[RateOut])
@paginate(Pagination)
@allow("rates.view")
def list_rates(
    request: HttpRequest,
    timekeeper: str | None = Query(None, max_length=10, description="timekeeper initials"),
    client: str | None = Query(None, max_length=30, description="client code"),
    matter: str | None = Query(None, max_length=40, description="matter number"),
) -> QuerySet[Rate]:
    rates = _rates()
    if timekeeper:
        rates = rates.filter(timekeeper__initials=timekeeper.strip().upper())
    if client:
        rates = rates.filter(client__code=client.strip())
    if matter:
        rates = rates.filter(matter__number=matter.strip())
    return rates


@router.post("/", response={201: RateOut, 409: ErrorOut, 422: ErrorOut})
@allow("rates.change")
def create_rate(request: HttpRequest, payload: RateIn) -> Status:
    timekeeper = related(timekeeper_by_initials, payload.timekeeper, "timekeeper") if payload.timekeeper else None
    client = related(client_by_code, payload.client, "client") if payload.client else None
    matter = related(matter_by_number, payload.matter, "matter") if payload.matter else None
    currency = (payload.currency or "").upper() or (matter or client or request.firm).currency  # type: ignore[attr-defined]
    rate = rate_create(
        firm=request.firm, actor=actor(request),  # type: ignore[attr-defined]
        timekeeper=timekeeper, classification=payload.classification or "", client=client, matter=matter,
        effective_on=payload.effective_on, rate_minor=minor(payload.rate, currency, "rate"), currency=currency,
        note=payload.note,
    )
    return Status(201, rate)


@router.get("/{rate_id}", response={200: RateOut, 404: ErrorOut})
@allow("rates.view")
def get_rate(request: HttpRequest, rate_id: ObjectId) -> Rate:
    return get_or_404(_rates(), rate_id, "rate")


@router.delete("/{rate_id}", response={204: None, 404: ErrorOut})
@allow("rates.change")
def delete_rate(request: HttpRequest, rate_id: ObjectId) -> Status:
    rate_delete(rate=get_or_404(_rates(), rate_id, "rate"), actor=actor(request))
    return Status(204, None)
