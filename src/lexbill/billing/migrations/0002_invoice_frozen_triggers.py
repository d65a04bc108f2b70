"""Invariant 2 at the database: issued invoices, their lines and taxes cannot be updated or deleted.

The Python signals in billing/immutability.py refuse changes made through model saves; these triggers also
refuse `QuerySet.update()`, raw SQL and other programs. The one change allowed is recording the PDF's hash
once (invoice.pdf_sha256 from '' to a value, nothing else changing).

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: Django empties tables between
transactional tests with DELETE (PostgreSQL uses TRUNCATE, which row triggers do not see), so on SQLite the
delete guard stays in Python.
"""

from django.db import migrations

TABLES = ["billing_invoice", "billing_invoiceline", "billing_invoicetax"]
SET_ONCE = "pdf_sha256"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION lexbill_refuse_issued_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'issued % rows cannot be deleted', TG_TABLE_NAME;
    END IF;
    IF to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    -- read through jsonb: PL/pgSQL may evaluate every operand, and lines have no pdf_sha256 column
    IF to_jsonb(OLD) ->> 'pdf_sha256' = '' AND to_jsonb(NEW) ->> 'pdf_sha256' <> ''
       AND (to_jsonb(NEW) - 'pdf_sha256') = (to_jsonb(OLD) - 'pdf_sha256') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'issued % rows cannot change', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def _columns(schema_editor, table):
    with schema_editor.connection.cursor() as cursor:
        return [c.name for c in schema_editor.connection.introspection.get_table_description(cursor, table)]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # the function body uses % itself
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION lexbill_refuse_issued_change()")
    elif vendor == "sqlite":
        for table in TABLES:
            columns = _columns(schema_editor, table)
            unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns)
            allowed = unchanged
            if SET_ONCE in columns:
                others = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != SET_ONCE)
                allowed = f"({unchanged}) OR (OLD.{SET_ONCE} = '' AND NEW.{SET_ONCE} <> '' AND {others})"
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} WHEN NOT ({allowed}) "
                f"BEGIN SELECT RAISE(ABORT, 'issued {table} rows cannot change'); END")


def drop(apps, schema_editor):
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS lexbill_refuse_issued_change()")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
