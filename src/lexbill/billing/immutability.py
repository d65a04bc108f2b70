"""Invariant 2 in Python: an issued invoice, its lines, its taxes and its stored documents (the PDF's bytes)
are never updated or deleted; the invoice's snapshot is one of its columns, so it is covered too.

Connected in BillingConfig.ready(). The one write allowed after issue is recording the PDF's hash once
(`pdf_sha256` from empty to a value), which the PDF service does after rendering. `QuerySet.update()`
bypasses signals; the database trigger described in docs/billing.md closes that gap.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from lexbill.core.errors import Conflict

from .models import Invoice, InvoiceDocument, InvoiceLine, InvoiceTax

SET_ONCE_FIELDS = {Invoice: {"pdf_sha256"}}


class InvoiceImmutable(Conflict):
    code = "invoice_immutable"


def _refused_changes(instance: Any) -> list[str]:
    """The fields this save would change, less a set-once field being filled for the first time."""
    model = type(instance)
    with scopes_disabled():
        stored = model._base_manager.filter(pk=instance.pk).first()
    if stored is None:
        return []
    set_once = SET_ONCE_FIELDS.get(model, set())
    return [f.attname for f in model._meta.concrete_fields
            if getattr(stored, f.attname) != getattr(instance, f.attname)
            and not (f.attname in set_once and not getattr(stored, f.attname))]


@receiver(pre_save, sender=Invoice)
@receiver(pre_save, sender=InvoiceLine)
@receiver(pre_save, sender=InvoiceTax)
@receiver(pre_save, sender=InvoiceDocument)
def refuse_update(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance._state.adding:
        return
    refused = _refused_changes(instance)
    if refused:
        raise InvoiceImmutable(f"{sender._meta.verbose_name} {instance.pk} is issued and cannot change "
                               f"({', '.join(refused)})")


@receiver(pre_delete, sender=Invoice)
@receiver(pre_delete, sender=InvoiceLine)
@receiver(pre_delete, sender=InvoiceTax)
@receiver(pre_delete, sender=InvoiceDocument)
def refuse_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    raise InvoiceImmutable(f"{sender._meta.verbose_name} {instance.pk} is issued and cannot be deleted")
