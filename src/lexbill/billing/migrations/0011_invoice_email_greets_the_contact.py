"""The invoice email greets the client's billing contact (issue #9, item 10): the default body starts "Dear
{contact}," and every stored body that still starts with the old default greeting "Dear {client}," is moved
onto it (the rest of a firm's own wording is kept). Going back greets the company again."""

from django.db import migrations, models

OLD_GREETING, GREETING = "Dear {client},", "Dear {contact},"
DEFAULT_BODY = ("Dear {contact},\n\nPlease find attached invoice {number} of {issued_on} for {total}, due on "
                "{due_on}.\n\nKind regards,\n{firm}")


def _regreet(apps, old, new):  # type: ignore[no-untyped-def]
    settings = apps.get_model("billing", "FirmBillingSettings")
    for row in settings.objects.filter(invoice_email_body__startswith=old).only("pk", "invoice_email_body"):
        row.invoice_email_body = new + row.invoice_email_body[len(old):]
        row.save(update_fields=["invoice_email_body"])


def greet_the_contact(apps, schema_editor):  # type: ignore[no-untyped-def]
    _regreet(apps, OLD_GREETING, GREETING)


def greet_the_company(apps, schema_editor):  # type: ignore[no-untyped-def]
    _regreet(apps, GREETING, OLD_GREETING)


class Migration(migrations.Migration):
    dependencies = [("billing", "0010_bulk_jobs")]

    operations = [
        migrations.AlterField(model_name="firmbillingsettings", name="invoice_email_body",
                              field=models.TextField(default=DEFAULT_BODY)),
        migrations.RunPython(greet_the_contact, greet_the_company),
    ]
