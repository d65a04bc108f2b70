# The client's billing and e-billing settings now live in billing.ClientBillingSettings and
# ebilling.ClientEbillingSettings (copied there by billing 0004 and ebilling 0002, which run first; backwards,
# these columns come back before those migrations refill them).

from django.db import migrations

MOVED = ("tax_method", "ledes_client_id", "wants_ledes", "ebilling_portal", "ledes_format", "ledes_profile",
         "submission_deadline_days")


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0004_matter_payor"),
        ("billing", "0004_billing_settings"),
        ("ebilling", "0002_ebilling_settings"),
    ]

    operations = [migrations.RemoveField(model_name="client", name=name) for name in MOVED]
