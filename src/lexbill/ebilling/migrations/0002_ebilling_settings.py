# E-billing settings move out of core.Firm and clients.Client into rows ebilling owns (issue #8, item 10b).
# This migration creates the tables and copies the values; core 0005 and clients 0005 then drop the old
# columns, so the copy is committed first. Backwards, the columns come back first and are refilled here.

import django.db.models.deletion
from django.db import migrations, models

CLIENT_FIELDS = ("ledes_client_id", "wants_ledes", "ebilling_portal", "ledes_format", "ledes_profile",
                 "submission_deadline_days")
FORMATS = [("1998B", "LEDES 1998B"), ("1998BI", "LEDES 98BI V2"), ("XML2.1", "LEDES XML 2.1")]
PROFILES = [("standard", "Standard"), ("legacy", "Legacy (old classifications)"), ("ecounsel", "eCounsel"),
            ("brightflag", "Brightflag"), ("collaborati", "Collaborati"), ("strict", "Strict")]


def _is_default(row):
    return not (row["ledes_client_id"] or row["wants_ledes"] or row["ebilling_portal"] or row["ledes_format"]
                or row["ledes_profile"] or row["submission_deadline_days"] is not None)


def copy_in(apps, schema_editor):
    Firm, Client = apps.get_model("core", "Firm"), apps.get_model("clients", "Client")
    FirmEbillingSettings = apps.get_model("ebilling", "FirmEbillingSettings")
    ClientEbillingSettings = apps.get_model("ebilling", "ClientEbillingSettings")
    FirmEbillingSettings.objects.bulk_create(
        [FirmEbillingSettings(firm_id=pk, ledes_law_firm_id=law_firm_id)
         for pk, law_firm_id in Firm.objects.values_list("id", "ledes_law_firm_id")], batch_size=500)
    rows = Client.objects.values("id", "firm_id", *CLIENT_FIELDS).iterator()
    ClientEbillingSettings.objects.bulk_create(
        [ClientEbillingSettings(client_id=row.pop("id"), **row) for row in rows if not _is_default(row)],
        batch_size=500)


def copy_out(apps, schema_editor):
    Firm, Client = apps.get_model("core", "Firm"), apps.get_model("clients", "Client")
    for pk, law_firm_id in apps.get_model("ebilling", "FirmEbillingSettings").objects.values_list(
            "firm_id", "ledes_law_firm_id"):
        Firm.objects.filter(pk=pk).update(ledes_law_firm_id=law_firm_id)
    for row in apps.get_model("ebilling", "ClientEbillingSettings").objects.values("client_id", *CLIENT_FIELDS):
        Client.objects.filter(pk=row.pop("client_id")).update(**row)


class Migration(migrations.Migration):

    dependencies = [
        ("ebilling", "0001_initial"),
        ("clients", "0004_matter_payor"),
        ("core", "0004_remove_firm_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="FirmEbillingSettings",
            fields=[
                ("firm", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="ebilling_settings", serialize=False, to="core.firm")),
                ("ledes_law_firm_id", models.CharField(blank=True, max_length=20,
                                                       verbose_name="LEDES law firm id (tax id)")),
            ],
        ),
        migrations.CreateModel(
            name="ClientEbillingSettings",
            fields=[
                ("client", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="ebilling_settings", serialize=False,
                                                to="clients.client")),
                ("ledes_client_id", models.CharField(blank=True, max_length=40, verbose_name="LEDES client id")),
                ("wants_ledes", models.BooleanField(default=False, help_text="Send a LEDES file with each invoice")),
                ("ebilling_portal", models.CharField(blank=True, max_length=60)),
                ("ledes_format", models.CharField(blank=True, choices=FORMATS, help_text="Empty: LEDES 1998B",
                                                  max_length=10)),
                ("ledes_profile", models.CharField(blank=True, choices=PROFILES, help_text="Empty: standard",
                                                   max_length=30)),
                ("submission_deadline_days", models.PositiveIntegerField(blank=True, null=True)),
                ("firm", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to="core.firm")),
            ],
        ),
        migrations.RunPython(copy_in, copy_out),
    ]
