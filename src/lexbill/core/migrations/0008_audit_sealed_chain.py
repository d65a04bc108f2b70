"""Audit events: written without a lock, with a keyed mac; chained afterwards by a sealer (core/audit.py).

Existing chains were plain SHA-256 links computed under a firm-wide lock. Each firm's old chain is verified
first (a broken one stops the migration: it must not be blessed by a new seal), then re-sealed with the
keyed links. Last, the row guard (core/guards.py) makes events append-only: only the seal columns may go from
empty to a value, once.
"""

import hashlib
import json

import django.db.models.deletion
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

from lexbill.core.audit import chain_link, event_mac
from lexbill.core.guards import guard_install, guard_remove

GENESIS = "0" * 64
SEAL_FIELDS = ["seq", "prev_hash", "hash"]


def _plain_link(prev_hash, event):
    """The chain of core/audit.py before this migration: SHA-256 over the previous hash and the payload."""
    payload = {"seq": event.seq, "at": event.at.isoformat(), "actor": event.actor_label, "action": event.action,
               "entity": event.entity, "entity_id": event.entity_id, "before": event.before, "after": event.after}
    body = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _firm_events(apps, firm_id):
    return list(apps.get_model("core", "AuditEvent").objects.filter(firm_id=firm_id).order_by("seq", "id"))


def reseal(apps, schema_editor):
    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditChainHead")
    for firm_id in apps.get_model("core", "Firm").objects.values_list("id", flat=True).order_by("id"):
        events = _firm_events(apps, firm_id)
        prev = GENESIS
        for expected, event in enumerate(events, start=1):
            if event.seq != expected or event.prev_hash != prev or event.hash != _plain_link(prev, event):
                raise RuntimeError(f"the audit chain of firm {firm_id} is broken at event {expected}; it cannot be "
                                   "re-sealed: restore it from a backup first")
            prev = event.hash
        prev = GENESIS
        for event in events:
            event.mac = event_mac(event)
            event.prev_hash, event.hash = prev, chain_link(prev, event.seq, event.mac)
            prev = event.hash
        event_model.objects.bulk_update(events, ["mac", *SEAL_FIELDS], batch_size=1000)
        head_model.objects.create(firm_id=firm_id, seq=len(events), hash=prev)


def unseal(apps, schema_editor):
    """Back to plain links, every event chained (pending ones get the next numbers, in id order)."""
    event_model = apps.get_model("core", "AuditEvent")
    for firm_id in event_model.objects.values_list("firm_id", flat=True).distinct().order_by("firm_id"):
        events = sorted(_firm_events(apps, firm_id), key=lambda e: (e.seq is None, e.seq or 0, e.id))
        prev = GENESIS
        for seq, event in enumerate(events, start=1):
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = _plain_link(prev, event)
        event_model.objects.bulk_update(events, SEAL_FIELDS, batch_size=1000)


def install_guard(apps, schema_editor):
    guard_install(schema_editor, apps.get_model("core", "AuditEvent"), set_once=SEAL_FIELDS)


def remove_guard(apps, schema_editor):
    guard_remove(schema_editor, apps.get_model("core", "AuditEvent"))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_idempotency_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('firm', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='audit_head', serialize=False, to='core.firm')),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                ('sealed_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['firm', 'id']},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='mac',
            field=models.CharField(default='', help_text='Keyed hash of the content, set by the writer', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='firm',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to='core.firm'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(blank=True, help_text="Place in the firm's chain, once sealed", null=True),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['firm', 'id'], name='audit_unsealed_idx'),
        ),
        migrations.RunPython(reseal, unseal),
        migrations.RunPython(install_guard, remove_guard),
    ]
