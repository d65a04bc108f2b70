"""Client pages: list with open-matter counts, detail with contacts (added inline) and matters, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lexbill.billing.models import client_billing_settings
from lexbill.clients import services
from lexbill.clients.models import Client, MatterStatus
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.ebilling.settings import client_create_with_settings, client_update_with_settings

from ..access import can_do, firm_member_required
from ..forms_records import ClientForm, ContactForm
from ..service_forms import save_form
from .common import actor_of, choice, firm_of, history, paginate
from .money import money_context

ACTIVE_CHOICES = {"yes", "no", "all"}


@firm_member_required("clients.view")
def client_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    active = choice(request, "active", ACTIVE_CHOICES, "yes")
    currency = request.GET.get("currency", "").strip().upper()[:3]
    clients = Client.objects.annotate(
        open_matters=Count("matters", filter=Q(matters__status=MatterStatus.OPEN))
    ).order_by("name", "pk")
    if q:
        clients = clients.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if active != "all":
        clients = clients.filter(is_active=active == "yes")
    if currency:
        clients = clients.filter(currency=currency)
    return render(request, "web/records/client_list.html", {
        "page": paginate(request, clients), "q": q, "active": active, "currency": currency,
        "can_edit": can_do(request, "clients.change"),
    })


def _detail(request: HttpRequest, client: Client, contact_form: ContactForm | None = None) -> HttpResponse:
    return render(request, "web/records/client_detail.html", {
        "client": client,
        "billing": client_billing_settings(client),
        "ebilling": client_ebilling_settings(client),
        "contacts": client.contacts.all(),
        "matters": client.matters.select_related("billing_attorney").order_by("number"),
        "contact_form": contact_form or ContactForm(firm=firm_of(request)),
        "history": history("client", client.pk),
        "can_edit": can_do(request, "clients.change"),
        **money_context(request, client=client),
    })


@firm_member_required("clients.view")
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Client, pk=pk))


@firm_member_required("clients.change")
def client_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    form = ClientForm(request.POST if request.method == "POST" else None, firm=firm)
    client = save_form(request, form, lambda data: client_create_with_settings(
        firm=firm, actor=actor_of(request), **data))
    if client is not None:
        messages.success(request, f"Client {client.code} created.")
        return redirect("client_detail", pk=client.pk)
    return render(request, "web/records/form.html", {"form": form, "title": "New client",
                                                      "cancel": reverse("client_list")})


@firm_member_required("clients.change")
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = ClientForm(request.POST if request.method == "POST" else None, firm=firm_of(request), instance=client)
    saved = save_form(request, form, lambda data: client_update_with_settings(
        client=client, actor=actor_of(request), **data))
    if saved is not None:
        messages.success(request, f"Client {saved.code} saved.")
        return redirect("client_detail", pk=saved.pk)
    return render(request, "web/records/form.html", {"form": form, "title": f"Edit client {client.code}",
                                                      "cancel": reverse("client_detail", args=[client.pk])})


@firm_member_required("clients.change")
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contact from the client page; with htmx only the contacts box is swapped."""
    client = get_object_or_404(Client, pk=pk)
    form = ContactForm(request.POST, firm=firm_of(request))
    contact = save_form(request, form,
                        lambda data: services.contact_add(client=client, actor=actor_of(request), **data))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "web/records/_contacts.html", {
            "client": client, "contacts": client.contacts.all(), "can_edit": True,
            "contact_form": ContactForm(firm=firm_of(request)) if contact is not None else form,
        })
    if contact is not None:
        messages.success(request, f"Contact {contact.name} added.")
        return redirect("client_detail", pk=client.pk)
    return _detail(request, client, contact_form=form)
