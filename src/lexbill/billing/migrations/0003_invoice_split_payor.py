"""Split billing: one pre-bill may become several invoices (one per payor), each with its share.

SQLite rebuilds a table to alter a column, which drops its triggers, and its frozen-invoice triggers list the
columns they guard: so the triggers of 0002 are dropped first and created again, over the new columns, last.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

frozen = importlib.import_module("lexbill.billing.migrations.0002_invoice_frozen_triggers")


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0002_invoice_frozen_triggers'),
    ]

    operations = [
        migrations.RunPython(frozen.drop, frozen.create),
        migrations.AddField(
            model_name='invoice',
            name='payor_matter_id',
            field=models.CharField(blank=True, help_text="Split billing: the payor's own matter id, as issued", max_length=60),
        ),
        migrations.AddField(
            model_name='invoice',
            name='payor_share_bp',
            field=models.PositiveIntegerField(blank=True, help_text="Split billing: the share of the matter's bill this payor pays (basis points)", null=True),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='prebill',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='billing.prebill'),
        ),
        migrations.RunPython(frozen.create, frozen.drop),
    ]
