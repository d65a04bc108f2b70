"""Issued documents never change (invariant 2): each invoice's snapshot, and the PDF's bytes kept once.

1. The frozen-invoice triggers of 0002 are dropped (SQLite rebuilds the table to add a column, and the
   invoices already issued must be given their snapshot), the snapshot column is added, and
2. every existing invoice is frozen from today's rows: the firm, the client and its billing contacts, the
   matters and the timekeepers of its lines, as they are now (the best record there is of what was issued).
   Set-wise, a few queries per 500 invoices.
3. The triggers come back over the new column, and the new InvoiceDocument table gets its own: its rows are
   never updated (PostgreSQL: nor deleted; SQLite keeps the delete guard in Python, see 0002).

Reverse drops the snapshots with their column and the stored PDFs with their table.
This migration keeps its own copy of the snapshot's shape (billing/snapshot.py, version 1) so that later
changes to the application code cannot change what it writes.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

frozen = importlib.import_module("lexbill.billing.migrations.0002_invoice_frozen_triggers")

BATCH = 500
ADDRESS = ("address_line1", "address_line2", "city", "region", "postcode", "country")
FIRM_FIELDS = ("name", *ADDRESS, "ledes_law_firm_id", "payment_instructions")
CLIENT_FIELDS = ("code", "name", *ADDRESS, "ledes_client_id")
CONTACT_FIELDS = ("name", "email", "phone", "role")
MATTER_FIELDS = ("number", "name", "client_matter_id")
TIMEKEEPER_FIELDS = ("initials", "first_name", "last_name", "classification")

DOCUMENT_TABLE = "billing_invoicedocument"
PG_DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION lexbill_refuse_document_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'stored % rows are written once: they cannot change or be deleted', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def _values(row, fields):
    return {name: getattr(row, name) or "" for name in fields}


def freeze_existing(apps, schema_editor):
    db = schema_editor.connection.alias
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    ClientContact = apps.get_model("clients", "ClientContact")
    Matter = apps.get_model("clients", "Matter")
    Timekeeper = apps.get_model("staff", "Timekeeper")
    ids = list(Invoice._base_manager.using(db).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        invoices = list(Invoice._base_manager.using(db).filter(pk__in=chunk).select_related("firm", "client", "prebill"))
        used = {}
        for invoice_id, matter_id, timekeeper_id in (InvoiceLine._base_manager.using(db).filter(invoice_id__in=chunk)
                                                     .values_list("invoice_id", "matter_id", "timekeeper_id")):
            matters, people = used.setdefault(invoice_id, (set(), set()))
            matters.add(matter_id)
            if timekeeper_id:
                people.add(timekeeper_id)
        all_matters = {m for matters, _ in used.values() for m in matters} | {i.matter_id for i in invoices if i.matter_id}
        all_people = {p for _, people in used.values() for p in people}
        matter_rows = {m.pk: _values(m, MATTER_FIELDS) for m in Matter._base_manager.using(db).filter(pk__in=all_matters)}
        people_rows = {t.pk: _values(t, TIMEKEEPER_FIELDS)
                       for t in Timekeeper._base_manager.using(db).filter(pk__in=all_people)}
        contacts = {}
        for contact in (ClientContact._base_manager.using(db).filter(
                client_id__in={i.client_id for i in invoices}, is_billing_contact=True).order_by("client_id", "name", "pk")):
            contacts.setdefault(contact.client_id, []).append(_values(contact, CONTACT_FIELDS))
        for invoice in invoices:
            matters, people = used.get(invoice.pk, (set(), set()))
            if invoice.matter_id:
                matters = matters | {invoice.matter_id}
            invoice.snapshot = {
                "version": 1,
                "firm": _values(invoice.firm, FIRM_FIELDS),
                "client": {**_values(invoice.client, CLIENT_FIELDS),
                           "billing_contacts": contacts.get(invoice.client_id, [])},
                "matters": {str(pk): matter_rows[pk] for pk in sorted(matters)},
                "timekeepers": {str(pk): people_rows[pk] for pk in sorted(people)},
                "currency": invoice.currency,
                "group_by": invoice.prebill.group_by if invoice.prebill_id else "date",
            }
        Invoice._base_manager.using(db).bulk_update(invoices, ["snapshot"])


def guard_documents(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOCUMENT_FUNCTION, params=None)
        schema_editor.execute(f"CREATE TRIGGER {DOCUMENT_TABLE}_frozen BEFORE UPDATE OR DELETE ON {DOCUMENT_TABLE} "
                              "FOR EACH ROW EXECUTE FUNCTION lexbill_refuse_document_change()")
    elif vendor == "sqlite":
        unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in frozen._columns(schema_editor, DOCUMENT_TABLE))
        schema_editor.execute(
            f"CREATE TRIGGER {DOCUMENT_TABLE}_frozen BEFORE UPDATE ON {DOCUMENT_TABLE} WHEN NOT ({unchanged}) "
            f"BEGIN SELECT RAISE(ABORT, 'stored {DOCUMENT_TABLE} rows cannot change'); END")


def unguard_documents(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {DOCUMENT_TABLE}_frozen ON {DOCUMENT_TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS lexbill_refuse_document_change()")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {DOCUMENT_TABLE}_frozen")


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_invoice_split_payor'),
        ('clients', '0004_matter_payor'),
        ('core', '0004_remove_firm_address'),
        ('staff', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(frozen.drop, frozen.create),
        migrations.AddField(
            model_name='invoice',
            name='snapshot',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.CreateModel(
            name='InvoiceDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('pdf', 'PDF')], max_length=10)),
                ('content', models.BinaryField()),
                ('sha256', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField()),
                ('firm', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.firm')),
                ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='billing.invoice')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('firm', 'invoice', 'kind'), name='invoicedocument_once')],
            },
        ),
        migrations.RunPython(freeze_existing, migrations.RunPython.noop),
        migrations.RunPython(frozen.create, frozen.drop),
        migrations.RunPython(guard_documents, unguard_documents),
    ]
