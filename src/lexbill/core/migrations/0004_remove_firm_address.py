# The free-text address, moved into the structured fields by 0003. A migration of its own, so that the
# data move is committed before the column goes (and the reverse re-creates it before 0003 refills it).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_firm_address_fields"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="firm",
            name="address",
        ),
    ]
