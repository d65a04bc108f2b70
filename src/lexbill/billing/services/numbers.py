"""Taking the next number of a gapless series under a row lock (used by invoice and credit-note issue)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from lexbill.billing.domain.numbering import format_number, series_year, validate_number_format
from lexbill.billing.models import NumberSeries
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm

INVOICE_SERIES = "invoice"
CREDIT_NOTE_SERIES = "credit_note"


def next_number(*, firm: Firm, name: str, number_format: str, issued_on: date) -> str:
    """Lock the series row (creating it on first use) and take its next number.

    Must run inside the transaction that stores the document: the number and the document commit together
    or neither does, so there is never a gap; the row lock makes concurrent issuers take turns, so there is
    never a duplicate.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that stores the numbered document")
    try:
        validate_number_format(number_format)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="number_format") from exc
    year = series_year(number_format, issued_on)
    series_qs = NumberSeries.objects.select_for_update().filter(firm=firm, name=name, year=year)
    series = series_qs.first()
    if series is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is not an error
                NumberSeries.objects.create(firm=firm, name=name, year=year, number_format=number_format)
        except IntegrityError:
            pass
        series = series_qs.get()
    number = format_number(number_format, year=year, seq=series.next_seq)
    series.next_seq += 1
    series.number_format = number_format
    series.save(update_fields=["next_seq", "number_format"])
    return number
