"""Queries from the billing clerk to the lawyer about a pre-bill (or one of its lines), and their answers."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import enforce
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.transactions import service_transaction

from ..models import PreBill, PreBillLine, PreBillQuery
from .review import actor_user, lock_prebill, record


def prebill_query_add(*, prebill: PreBill, question: str, actor: User | None, line: PreBillLine | None = None,
                      now: datetime | None = None) -> PreBillQuery:
    enforce(actor, prebill.firm_id, "prebills.change")
    question = (question or "").strip()
    if not question:
        raise ValidationFailed("a question is required", field="question")
    at = now or timezone.now()
    with service_transaction():
        locked = lock_prebill(prebill.pk)
        if line is not None and not PreBillLine.objects.filter(pk=line.pk, prebill=locked, is_current=True).exists():
            raise ValidationFailed(f"line {line.pk} is not on pre-bill {locked.pk}", field="line")
        query = PreBillQuery.objects.create(firm_id=locked.firm_id, prebill=locked, line=line, question=question,
                                            asked_by=actor_user(actor), asked_at=at)
        record(locked, actor=actor, action="query_add", now=at, before={},
               after={"query": query.pk, "line": line.pk if line else None, "question": question})
    return query


def prebill_query_answer(*, query: PreBillQuery, answer: str, actor: User | None,
                         now: datetime | None = None) -> PreBillQuery:
    enforce(actor, query.firm_id, "prebills.answer", query.prebill)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed("an answer is required", field="answer")
    at = now or timezone.now()
    with service_transaction():
        prebill = lock_prebill(query.prebill_id)
        locked = PreBillQuery.objects.select_for_update().get(pk=query.pk)
        if locked.answered_at is not None:
            raise Conflict(f"query {locked.pk} was already answered")
        locked.answer = answer
        locked.answered_by = actor_user(actor)
        locked.answered_at = at
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record(prebill, actor=actor, action="query_answer", now=at,
               before={"query": locked.pk, "line": locked.line_id, "answer": ""},
               after={"query": locked.pk, "line": locked.line_id, "answer": answer})
    return locked
