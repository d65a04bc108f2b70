# Billing settings move out of core.Firm and clients.Client into rows billing owns (issue #8, item 10b).
# This migration creates the tables and copies the values; core 0005 and clients 0005 then drop the old
# columns, so the copy is committed first. Backwards, the columns come back first and are refilled here.

import django.db.models.deletion
from django.db import migrations, models

FIRM_FIELDS = ("invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
               "invoice_email_subject", "invoice_email_body")
TAX_METHODS = [("none", "No tax"), ("per_line", "Per line"), ("on_total", "On the total (allocated to lines)")]


def copy_in(apps, schema_editor):
    Firm, Client = apps.get_model("core", "Firm"), apps.get_model("clients", "Client")
    FirmBillingSettings = apps.get_model("billing", "FirmBillingSettings")
    ClientBillingSettings = apps.get_model("billing", "ClientBillingSettings")
    FirmBillingSettings.objects.bulk_create(
        [FirmBillingSettings(firm_id=firm["id"], **{f: firm[f] for f in FIRM_FIELDS})
         for firm in Firm.objects.values("id", *FIRM_FIELDS)], batch_size=500)
    ClientBillingSettings.objects.bulk_create(
        [ClientBillingSettings(client_id=pk, firm_id=firm_id, tax_method=method)
         for pk, firm_id, method in Client.objects.exclude(tax_method="").values_list("id", "firm_id", "tax_method")
         .iterator()], batch_size=500)


def copy_out(apps, schema_editor):
    Firm, Client = apps.get_model("core", "Firm"), apps.get_model("clients", "Client")
    for row in apps.get_model("billing", "FirmBillingSettings").objects.values("firm_id", *FIRM_FIELDS):
        Firm.objects.filter(pk=row.pop("firm_id")).update(**row)
    for pk, method in apps.get_model("billing", "ClientBillingSettings").objects.values_list("client_id",
                                                                                             "tax_method"):
        Client.objects.filter(pk=pk).update(tax_method=method)


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0003_invoice_split_payor"),
        ("clients", "0004_matter_payor"),
        ("core", "0004_remove_firm_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="FirmBillingSettings",
            fields=[
                ("firm", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="billing_settings", serialize=False, to="core.firm")),
                ("invoice_number_format", models.CharField(default="{year}-{seq:05d}",
                                                           help_text="Python format with {year} and {seq}",
                                                           max_length=60)),
                ("credit_note_number_format", models.CharField(default="CN{year}-{seq:05d}", max_length=60)),
                ("tax_method", models.CharField(choices=TAX_METHODS, default="none", max_length=10)),
                ("payment_instructions", models.TextField(blank=True)),
                ("invoice_email_subject", models.CharField(default="Invoice {number} from {firm}", max_length=200)),
                ("invoice_email_body", models.TextField(default=(
                    "Dear {client},\n\nPlease find attached invoice {number} of {issued_on} for {total}, due on "
                    "{due_on}.\n\nKind regards,\n{firm}"))),
            ],
        ),
        migrations.CreateModel(
            name="ClientBillingSettings",
            fields=[
                ("client", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="billing_settings", serialize=False,
                                                to="clients.client")),
                ("tax_method", models.CharField(blank=True, choices=TAX_METHODS,
                                                help_text="Overrides the firm's; empty: the firm's", max_length=10)),
                ("firm", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to="core.firm")),
            ],
        ),
        migrations.RunPython(copy_in, copy_out),
    ]
