"""/clients: the firm's clients."""


from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from lexbill.clients.models import Client
from lexbill.clients.selectors import client_list
from lexbill.clients.services import client_delete
from lexbill.ebilling.settings import client_create_with_settings, client_update_with_settings

from .access import allow
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, increment_milli, patch_changes
from .schemas import ClientIn, ClientOut, ClientPatch, ErrorOut

router = Router(tags=["clients"])


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    if "billing_increment" in data:
        data["billing_increment_milli"] = increment_milli(data.pop("billing_increment"))
    return data


@router.get("/", response=list[ClientOut])
@paginate(Pagination)
@allow("clients.view")
def list_clients(
    request: HttpRequest,
    q: str | None = Query(None, max_length=100, description="part of the name or code"),
    is_active: bool | None = None,
) -> QuerySet[Client]:
    clients = client_list().select_related("ebilling_settings", "billing_settings")
    if q:
        clients = clients.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if is_active is not None:
        clients = clients.filter(is_active=is_active)
    return clients


@router.post("/", response={201: ClientOut, 409: ErrorOut, 422: ErrorOut})
@allow("clients.change")
def create_client(request: HttpRequest, payload: ClientIn) -> Status:
    data = _fields(payload.dict())
    if data["currency"] is None:
        del data["currency"]  # the service defaults it to the firm's
    # The LEDES client id is e-billing's setting: written with the client, all or nothing.
    client = client_create_with_settings(firm=request.firm, actor=actor(request), **data)  # type: ignore[attr-defined]
    return Status(201, client)


@router.get("/{client_id}", response={200: ClientOut, 404: ErrorOut})
@allow("clients.view")
def get_client(request: HttpRequest, client_id: ObjectId) -> Client:
    return get_or_404(client_list(), client_id, "client")


@router.patch("/{client_id}", response={200: ClientOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("clients.change")
def update_client(request: HttpRequest, client_id: ObjectId, payload: ClientPatch) -> Client:
    client = get_or_404(client_list(), client_id, "client")
    changes = _fields(patch_changes(
        payload, nullable={"billing_increment"},
        blankable={"address_line1", "address_line2", "city", "region", "postcode", "ledes_client_id", "notes"},
    ))
    return client_update_with_settings(client=client, actor=actor(request), **changes)


@router.delete("/{client_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
@allow("clients.change")
def delete_client(request: HttpRequest, client_id: ObjectId) -> Status:
    client_delete(client=get_or_404(client_list(), client_id, "client"), actor=actor(request))
    return Status(204, None)
