"""Migration billing 0004: invoices issued before snapshots existed are frozen from today's rows."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from lexbill.billing.models import Invoice
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.clients.models import ClientContact
from lexbill.core.models import Firm
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.tests.ledes_helpers import issued_invoice

# Back before the snapshot, and before the settings moved out of Firm (e-billing's copy goes back to the firm's
# columns only when ebilling 0002 is unapplied too).
BEFORE = [("billing", "0003_invoice_split_payor"), ("ebilling", "0001_initial")]
AFTER = [("billing", "0004_invoice_snapshot_and_documents")]


def _latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrated_back(transactional_db):
    yield
    # Every app's latest migration, whatever migrating billing back unapplied.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_invoices_are_frozen_from_todays_rows(migrated_back, firm, client_acme, matter, partner,
                                                       associate):
    # Given an invoice issued before the snapshot existed (its column and the documents table are gone)
    ClientContact.objects.create(firm=firm, client=client_acme, name="Wile Coyote", email="ap@acme.example",
                                 is_billing_contact=True)
    invoice = issued_invoice(firm, matter, partner, associate)
    old = _migrate(BEFORE)
    assert "snapshot" not in {f.name for f in old.get_model("billing", "Invoice")._meta.get_fields()}
    Firm.objects.filter(pk=firm.pk).update(address_line1="7 Moved Street")
    # When the migration runs
    _migrate(AFTER)
    # Then the invoice is frozen from the rows as they are today
    assert Invoice.objects.get(pk=invoice.pk).snapshot == {
        "version": 1,
        "firm": {"name": "Arnsley & Partners LLP", "address_line1": "7 Moved Street", "address_line2": "",
                 "city": "", "region": "", "postcode": "", "country": "", "ledes_law_firm_id": "24-6437381",
                 "payment_instructions": ""},
        "client": {"code": "ACME", "name": "Acme Corp", "address_line1": "", "address_line2": "", "city": "",
                   "region": "", "postcode": "", "country": "US", "ledes_client_id": "",
                   "billing_contacts": [{"name": "Wile Coyote", "email": "ap@acme.example", "phone": "",
                                         "role": ""}]},
        "matters": {str(matter.pk): {"number": "ACME-001", "name": "Acme v. Widget Co.",
                                     "client_matter_id": "423-987"}},
        "timekeepers": {str(partner.pk): {"initials": "RA", "first_name": "Robert", "last_name": "Arnsley",
                                          "classification": "PT"},
                        str(associate.pk): {"initials": "JD", "first_name": "Jane", "last_name": "Doe",
                                            "classification": "AS"}},
        "currency": "USD",
        "group_by": "date",
    }
    # And, once every later migration has run too, its documents render from it as a fresh invoice's would
    _migrate(_latest())
    assert invoice_document(invoice).firm.address_1 == "7 Moved Street"
    assert invoice_pdf_render(invoice=invoice).startswith(b"%PDF-")
    # And the triggers, created again over the new column, guard it
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(snapshot={"version": 1})
    assert Invoice.objects.get(pk=invoice.pk).snapshot["firm"]["address_line1"] == "7 Moved Street"
