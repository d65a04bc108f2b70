"""Migration 0011 moves stored invoice email bodies that greet the company ("Dear {client},", the old default)
onto the billing contact's greeting, and keeps every other wording (issue #9, item 10)."""

import importlib

from django.apps import apps
from django.test import TestCase
from django_scopes import scopes_disabled

from lexbill.billing.models import DEFAULT_EMAIL_BODY, FirmBillingSettings
from lexbill.testing import factories
from lexbill.testing.settings_rows import set_firm_settings

migration = importlib.import_module("lexbill.billing.migrations.0011_invoice_email_greets_the_contact")


class GreetingMigrationTest(TestCase):
    @scopes_disabled()
    def test_old_greetings_greet_the_contact_and_other_wordings_stay(self) -> None:
        old, own = factories.make_firm("Old"), factories.make_firm("Own")
        set_firm_settings(old, invoice_email_body="Dear {client},\n\nOur invoice {number}: {total}.\n")
        set_firm_settings(own, invoice_email_body="Hello {client} team, invoice {number}.")

        migration.greet_the_contact(apps, None)

        bodies = dict(FirmBillingSettings.objects.values_list("firm__name", "invoice_email_body"))
        assert bodies == {"Old": "Dear {contact},\n\nOur invoice {number}: {total}.\n",
                          "Own": "Hello {client} team, invoice {number}."}
        assert DEFAULT_EMAIL_BODY == migration.DEFAULT_BODY and DEFAULT_EMAIL_BODY.startswith("Dear {contact},")
