"""Migrations billing 0005, ebilling 0002, core 0005 and clients 0005: billing and e-billing settings move out
of Firm and Client into the rows their apps own, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0004_remove_firm_address"), ("clients", "0004_matter_payor"),
          ("billing", "0003_invoice_split_payor"), ("ebilling", "0001_initial")]
FIRM_BILLING = ("invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
                "invoice_email_subject", "invoice_email_body")
CLIENT_EBILLING = ("ledes_client_id", "wants_ledes", "ebilling_portal", "ledes_format", "ledes_profile",
                   "submission_deadline_days")
BODY = ("Dear {client},\n\nPlease find attached invoice {number} of {issued_on} for {total}, due on {due_on}.\n\n"
        "Kind regards,\n{firm}")
BODY_NOW = BODY.replace("Dear {client},", "Dear {contact},")  # billing 0011: the email greets the billing contact


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_move(transactional_db):
    """The schema before the move (settings as columns of Firm and Client); the latest one again after."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


def test_the_settings_move_into_their_apps_rows_and_back(before_move):
    Firm, Client = before_move.get_model("core", "Firm"), before_move.get_model("clients", "Client")
    custom = Firm.objects.create(
        name="A", slug="a", invoice_number_format="INV-{seq:04d}", credit_note_number_format="CR-{seq}",
        tax_method="per_line", payment_instructions="Wire to IBAN GB00 1234", invoice_email_subject="Invoice {number}",
        invoice_email_body="Hello {client}", ledes_law_firm_id="12-3456789")
    plain = Firm.objects.create(name="B", slug="b")
    Client.objects.create(firm=custom, code="ACME", name="Acme", tax_method="on_total", ledes_client_id="ACME-L",
                          wants_ledes=True, ebilling_portal="Tymetrix", ledes_format="1998BI",
                          ledes_profile="brightflag", submission_deadline_days=60)
    Client.objects.create(firm=plain, code="PLAIN", name="Plain")

    after = _migrate(_latest())

    billing = after.get_model("billing", "FirmBillingSettings").objects
    assert list(billing.order_by("firm__slug").values_list("firm__slug", *FIRM_BILLING)) == [
        ("a", "INV-{seq:04d}", "CR-{seq}", "per_line", "Wire to IBAN GB00 1234", "Invoice {number}",
         "Hello {client}"),
        ("b", "{year}-{seq:05d}", "CN{year}-{seq:05d}", "none", "", "Invoice {number} from {firm}", BODY_NOW)]
    assert list(after.get_model("ebilling", "FirmEbillingSettings").objects.order_by("firm__slug")
                .values_list("firm__slug", "ledes_law_firm_id")) == [("a", "12-3456789"), ("b", "")]
    # A client's row is written only when it had something of its own (the rest read the defaults).
    assert list(after.get_model("billing", "ClientBillingSettings").objects
                .values_list("client__code", "firm__slug", "tax_method")) == [("ACME", "a", "on_total")]
    assert list(after.get_model("ebilling", "ClientEbillingSettings").objects
                .values_list("client__code", "firm__slug", *CLIENT_EBILLING)) == [
        ("ACME", "a", "ACME-L", True, "Tymetrix", "1998BI", "brightflag", 60)]
    firm_fields = {f.name for f in after.get_model("core", "Firm")._meta.get_fields()}
    assert firm_fields.isdisjoint({*FIRM_BILLING, "ledes_law_firm_id"})
    client_fields = {f.name for f in after.get_model("clients", "Client")._meta.get_fields()}
    assert client_fields.isdisjoint({"tax_method", *CLIENT_EBILLING})

    back = _migrate(BEFORE)

    firms = back.get_model("core", "Firm").objects.order_by("slug")
    assert list(firms.values_list("slug", *FIRM_BILLING, "ledes_law_firm_id")) == [
        ("a", "INV-{seq:04d}", "CR-{seq}", "per_line", "Wire to IBAN GB00 1234", "Invoice {number}",
         "Hello {client}", "12-3456789"),
        ("b", "{year}-{seq:05d}", "CN{year}-{seq:05d}", "none", "", "Invoice {number} from {firm}", BODY, "")]
    clients = back.get_model("clients", "Client").objects.order_by("code")
    assert list(clients.values_list("code", "tax_method", *CLIENT_EBILLING)) == [
        ("ACME", "on_total", "ACME-L", True, "Tymetrix", "1998BI", "brightflag", 60),
        ("PLAIN", "", "", False, "", "", "", None)]
