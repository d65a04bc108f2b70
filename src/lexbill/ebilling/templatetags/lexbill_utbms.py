"""Template tags for UTBMS code findings, so the review page needs no view change to show them."""

from __future__ import annotations

from django import template

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.selectors_codes import prebill_code_lines

register = template.Library()


@register.simple_tag
def prebill_code_rows(prebill: PreBill) -> list[tuple[PreBillLine, list[str]]]:
    return prebill_code_lines(prebill)
