"""Issued invoices, their lines and taxes: row guards generated from the models' columns (core/guards.py).

Replaces the hand-written triggers of 0002 (which 0003 had to rebuild over its new columns). Both databases
now refuse UPDATE and DELETE; before, SQLite refused UPDATE only, because Django's flush empties tables with
DELETE (the `flush` command now suspends the guards, core/management/commands/flush.py).

A later migration that changes one of these tables ends with `RunPython(install, remove)` of its own, copied
from here, so the guard covers the new columns (SET_ONCE lists the columns that may go from empty to a value
once; keep it in step with billing/immutability.py).
"""

import importlib

from django.db import migrations

from lexbill.core.guards import guard_install, guard_remove

handmade = importlib.import_module("lexbill.billing.migrations.0002_invoice_frozen_triggers")
documents = importlib.import_module("lexbill.billing.migrations.0004_invoice_snapshot_and_documents")

# InvoiceDocument (the stored PDF bytes, 0004) is written once and never changes: no set-once column.
SET_ONCE = {"Invoice": ["pdf_sha256"], "InvoiceLine": [], "InvoiceTax": [], "InvoiceDocument": []}


def install(apps, schema_editor):
    handmade.drop(apps, schema_editor)
    documents.unguard_documents(apps, schema_editor)
    for name, set_once in SET_ONCE.items():
        guard_install(schema_editor, apps.get_model("billing", name), set_once=set_once)


def remove(apps, schema_editor):
    for name in SET_ONCE:
        guard_remove(schema_editor, apps.get_model("billing", name))
    handmade.create(apps, schema_editor)
    documents.guard_documents(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_delivery_status_for_retries")]
    operations = [migrations.RunPython(install, remove)]
