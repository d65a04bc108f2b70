"""The firm's free-text address becomes the structured fields a client has (LEDES 98BI/XML need them).

The old text is moved, never dropped: its first line -> address_line1; when the last of the other lines
looks like a US "City, ST 12345" line it becomes city / region / postcode (and the country US); whatever
else is left is joined with ", " into address_line2. The reverse joins the parts back into lines of text.
The parsing lives here, not in app code, so that this migration keeps doing what it did when the app changes.
"""

import re

from django.db import migrations, models

# "Boston, MA 02110" or "New York, NY 10001-2345"; the city at most as long as the city field.
US_PLACE = re.compile(r"^(?P<city>[^,]{1,100}),\s*(?P<region>[A-Z]{2})\s+(?P<postcode>\d{5}(?:-\d{4})?)$")
LIMITS = {"address_line1": 200, "address_line2": 200}


def split_address(text):
    """Free text -> {address_line1, address_line2, city, region, postcode, country}."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    parts = {"address_line1": "", "address_line2": "", "city": "", "region": "", "postcode": "", "country": ""}
    if not lines:
        return parts
    parts["address_line1"], rest = lines[0], lines[1:]
    place = US_PLACE.match(rest[-1]) if rest else None
    if place:
        parts.update(place.groupdict(), country="US")
        rest = rest[:-1]
    parts["address_line2"] = ", ".join(rest)
    return parts


def join_address(parts):
    """The structured fields -> free text, one line each (a US country is implied by the "City, ST" line)."""
    place = " ".join(p for p in (f"{parts['city']}," if parts["city"] else "", parts["region"], parts["postcode"])
                     if p).rstrip(",")
    country = parts["country"] if parts["country"] != "US" else ""
    return "\n".join(line for line in (parts["address_line1"], parts["address_line2"], place, country) if line)


def text_to_fields(apps, schema_editor):
    Firm = apps.get_model("core", "Firm")
    for firm in Firm.objects.exclude(address="").order_by("pk"):
        parts = split_address(firm.address)
        for field, limit in LIMITS.items():
            if len(parts[field]) > limit:
                # Cutting it would lose part of the address without anyone noticing.
                raise RuntimeError(f"firm {firm.slug}: {field} would be {len(parts[field])} characters long "
                                   f"(at most {limit}); shorten the firm's address, then migrate again")
        for field, value in parts.items():
            setattr(firm, field, value)
        firm.save(update_fields=list(parts))


def fields_to_text(apps, schema_editor):
    Firm = apps.get_model("core", "Firm")
    for firm in Firm.objects.order_by("pk"):
        firm.address = join_address({field: getattr(firm, field) for field in
                                     ("address_line1", "address_line2", "city", "region", "postcode", "country")})
        firm.save(update_fields=["address"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_firm_credit_note_number_format_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="firm",
            name="address_line1",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="firm",
            name="address_line2",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="firm",
            name="city",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="firm",
            name="region",
            field=models.CharField(blank=True, max_length=100, verbose_name="state / region"),
        ),
        migrations.AddField(
            model_name="firm",
            name="postcode",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="firm",
            name="country",
            field=models.CharField(blank=True, help_text="ISO 3166 alpha-2; empty when not given", max_length=2),
        ),
        migrations.RunPython(text_to_fields, fields_to_text),
    ]
