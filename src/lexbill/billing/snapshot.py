"""What an issued invoice's documents show, frozen when it is issued (invariant 2, ADR 0012).

An invoice's PDF and its LEDES files name the firm, the client (or payor), the matters and the timekeepers.
Those rows live on: a firm moves, a client is renamed, a matter renumbered, a timekeeper's initials change.
So at issue every value a document shows of them is copied into `Invoice.snapshot`, a JSON document that
the immutability guards keep unchanged; the PDF and LEDES builders read names, addresses and ids only from
it (and from the invoice's own frozen rows: lines, taxes, totals), never from the live rows.

The snapshot is built set-wise: one query for the clients' billing contacts and one for the matters,
whatever the number of lines or payors (timekeepers come with the lines), so issuing stays a fixed
number of statements per pre-bill.

The LEDES ids (the firm's law firm id, each client's LEDES client id) are e-billing's settings, and e-billing
sits above billing: it registers a `PARTY_EXTRAS` function from its AppConfig.ready() that fills them in
(one query for the clients), so the snapshot freezes them without billing importing e-billing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lexbill.clients.models import Client, ClientContact, Matter
from lexbill.core.errors import Conflict
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper

from .models import firm_billing_settings

SNAPSHOT_VERSION = 1
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postcode", "country")
FIRM_FIELDS = ("name", *ADDRESS_FIELDS)
CLIENT_FIELDS = ("code", "name", *ADDRESS_FIELDS)
CONTACT_FIELDS = ("name", "email", "phone", "role")
MATTER_FIELDS = ("number", "name", "client_matter_id")
TIMEKEEPER_FIELDS = ("initials", "first_name", "last_name", "classification")


def _values(row: Any, fields: tuple[str, ...]) -> dict[str, str]:
    return {name: getattr(row, name) or "" for name in fields}


# (firm, clients) -> (values to add to the firm's part, {client pk: values to add to that client's part}).
PartyExtras = Callable[[Firm, list[Client]], tuple[dict[str, str], dict[int, dict[str, str]]]]
PARTY_EXTRAS: list[PartyExtras] = []


def firm_values(firm: Firm) -> dict[str, str]:
    return {**_values(firm, FIRM_FIELDS), "ledes_law_firm_id": "",
            "payment_instructions": firm_billing_settings(firm).payment_instructions or ""}


def client_values(client: Client, contacts: Iterable[ClientContact]) -> dict[str, Any]:
    return {**_values(client, CLIENT_FIELDS), "ledes_client_id": "",
            "billing_contacts": [_values(contact, CONTACT_FIELDS) for contact in contacts]}


def party_values(firm: Firm, clients: list[Client]) -> tuple[dict[str, str], dict[int, dict[str, Any]]]:
    """The firm's and each client's frozen values, with what other apps add (PARTY_EXTRAS)."""
    contacts = billing_contacts(client.pk for client in clients)
    firm_doc = firm_values(firm)
    client_docs = {client.pk: client_values(client, contacts.get(client.pk, [])) for client in clients}
    for extras in PARTY_EXTRAS:
        firm_more, clients_more = extras(firm, clients)
        firm_doc.update(firm_more)
        for pk, more in clients_more.items():
            client_docs[pk].update(more)
    return firm_doc, client_docs


def snapshot_document(*, firm: dict[str, str], client: dict[str, Any], matters: dict[str, dict[str, str]],
                      timekeepers: dict[str, dict[str, str]], currency: str, group_by: str,
                      bill_adjustment: str = "") -> dict[str, Any]:
    """The JSON document stored on the invoice (keys of matters and timekeepers are their pks as text).

    `bill_adjustment` names a whole-bill write-down standing on every line ("Discount 10 %", "Adjustment";
    billing/bill_adjustment.py): the PDF shows it as one line. The key is added only when there is one, so
    the snapshots of invoices issued before it existed read as "none" and render as they always did."""
    document = {"version": SNAPSHOT_VERSION, "firm": firm, "client": client, "matters": matters,
                "timekeepers": timekeepers, "currency": currency, "group_by": group_by}
    if bill_adjustment:
        document["bill_adjustment"] = {"label": bill_adjustment}
    return document


def billing_contacts(client_ids: Iterable[int]) -> dict[int, list[ClientContact]]:
    """Each client's billing contacts, in one query."""
    found: dict[int, list[ClientContact]] = {}
    rows = ClientContact.objects.filter(client_id__in=set(client_ids), is_billing_contact=True)
    for contact in rows.order_by("client_id", "name", "pk"):
        found.setdefault(contact.client_id, []).append(contact)
    return found


def matter_values(matter_ids: Iterable[int | None]) -> dict[str, dict[str, str]]:
    rows = Matter.objects.filter(pk__in={pk for pk in matter_ids if pk}).only("pk", *MATTER_FIELDS)
    return {str(m.pk): _values(m, MATTER_FIELDS) for m in rows}


def timekeeper_values(timekeepers: Iterable[Timekeeper | None]) -> dict[str, dict[str, str]]:
    return {str(tk.pk): _values(tk, TIMEKEEPER_FIELDS) for tk in timekeepers if tk is not None}


def snapshots_for_issue(*, firm: Firm, clients: list[Client], matter_ids: Iterable[int | None],
                        timekeepers: Iterable[Timekeeper | None], currency: str,
                        group_by: str, bill_adjustment: str = "") -> dict[int, dict[str, Any]]:
    """One snapshot per client (the payors of a split matter get one each), keyed by client pk: two queries."""
    firm_doc, client_docs = party_values(firm, clients)
    matters, people = matter_values(matter_ids), timekeeper_values(timekeepers)
    return {client.pk: snapshot_document(firm=firm_doc, client=client_docs[client.pk], matters=matters,
                                         timekeepers=people, currency=currency, group_by=group_by,
                                         bill_adjustment=bill_adjustment)
            for client in clients}


def snapshot_for_credit_note(*, firm: Firm, client: Client, credited_number: str,
                             credited: dict[str, Any]) -> dict[str, Any]:
    """A credit note is a new document: it shows the firm and the client as they are when it is issued. Its
    lines reverse the credited invoice's lines as billed, so their matters and timekeepers are the invoice's
    frozen ones (a matter renumbered since then still shows the number the client was billed under)."""
    snapshot_read(credited_number, credited)  # refuses an invoice issued without one
    firm_doc, client_docs = party_values(firm, [client])
    # A full credit note negates the lines with their shares of a whole-bill write: it names it the same way.
    return snapshot_document(firm=firm_doc, client=client_docs[client.pk],
                             matters=credited["matters"], timekeepers=credited["timekeepers"],
                             currency=credited["currency"], group_by=credited["group_by"],
                             bill_adjustment=credited.get("bill_adjustment", {}).get("label", ""))


# Reading: typed, read-only views of the stored document for the PDF and LEDES builders.

@dataclass(frozen=True)
class FrozenContact:
    name: str
    email: str
    phone: str
    role: str


@dataclass(frozen=True)
class FrozenParty:
    """The firm or the client as issued; has the fields of a postal address (pdf.context.PostalAddress)."""

    name: str
    address_line1: str
    address_line2: str
    city: str
    region: str
    postcode: str
    country: str
    code: str = ""  # the client's number
    ledes_id: str = ""  # the firm's LEDES law firm id, or the client's LEDES client id
    payment_instructions: str = ""
    billing_contacts: tuple[FrozenContact, ...] = ()


@dataclass(frozen=True)
class FrozenMatter:
    number: str
    name: str
    client_matter_id: str


@dataclass(frozen=True)
class FrozenTimekeeper:
    initials: str
    first_name: str
    last_name: str
    classification: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Snapshot:
    invoice_number: str
    firm: FrozenParty
    client: FrozenParty
    matters: dict[int, FrozenMatter]
    timekeepers: dict[int, FrozenTimekeeper]
    currency: str
    group_by: str
    bill_adjustment: str = ""  # "" (none, or a snapshot from before it was recorded): lines show their own

    def matter(self, pk: int) -> FrozenMatter:
        found = self.matters.get(pk)
        if found is None:
            raise Conflict(f"invoice {self.invoice_number}: matter {pk} is not in its issued snapshot")
        return found

    def timekeeper(self, pk: int | None) -> FrozenTimekeeper | None:
        if pk is None:
            return None
        found = self.timekeepers.get(pk)
        if found is None:
            raise Conflict(f"invoice {self.invoice_number}: timekeeper {pk} is not in its issued snapshot")
        return found


def _party(values: dict[str, Any], *, ledes_id: str, code: str = "", payment_instructions: str = "",
           contacts: tuple[FrozenContact, ...] = ()) -> FrozenParty:
    return FrozenParty(name=values["name"], address_line1=values["address_line1"],
                       address_line2=values["address_line2"], city=values["city"], region=values["region"],
                       postcode=values["postcode"], country=values["country"], code=code, ledes_id=ledes_id,
                       payment_instructions=payment_instructions, billing_contacts=contacts)


def snapshot_read(number: str, document: dict[str, Any]) -> Snapshot:
    """The invoice's frozen snapshot; an invoice without one cannot be shown (its documents would come from
    live rows), so it is refused rather than rendered from them."""
    if not document or document.get("version") != SNAPSHOT_VERSION:
        raise Conflict(f"invoice {number} has no issued snapshot: its documents cannot be rendered")
    firm, client = document["firm"], document["client"]
    return Snapshot(
        invoice_number=number,
        firm=_party(firm, ledes_id=firm["ledes_law_firm_id"], payment_instructions=firm["payment_instructions"]),
        client=_party(client, ledes_id=client["ledes_client_id"], code=client["code"],
                      contacts=tuple(FrozenContact(**c) for c in client["billing_contacts"])),
        matters={int(pk): FrozenMatter(**values) for pk, values in document["matters"].items()},
        timekeepers={int(pk): FrozenTimekeeper(**values) for pk, values in document["timekeepers"].items()},
        currency=document["currency"], group_by=document["group_by"],
        bill_adjustment=document.get("bill_adjustment", {}).get("label", ""))
