# The firm's billing and e-billing settings now live in billing.FirmBillingSettings and
# ebilling.FirmEbillingSettings (copied there by billing 0004 and ebilling 0002, which run first; backwards,
# these columns come back before those migrations refill them).

from django.db import migrations, models

BILLING_FIELDS = ("invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
                  "invoice_email_subject", "invoice_email_body", "ledes_law_firm_id")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_remove_firm_address"),
        ("billing", "0004_billing_settings"),
        ("ebilling", "0002_ebilling_settings"),
    ]

    operations = [migrations.RemoveField(model_name="firm", name=name) for name in BILLING_FIELDS]
