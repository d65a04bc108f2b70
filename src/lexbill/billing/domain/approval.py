"""Pure wording of why a pre-bill cannot be approved (or issued) yet: its open queries, its uncoded lines.

No ORM: the services pass plain values, so the messages are table-tested and read the same in the web page,
the API's `detail` and the CLI's one line on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

QUESTION_SHOWN = 60  # characters of a question quoted in a message


@dataclass(frozen=True)
class OpenQuery:
    line_id: int | None  # None: a query about the whole bill
    question: str


def _quoted(question: str) -> str:
    text = " ".join(question.split())
    return f"“{text if len(text) <= QUESTION_SHOWN else text[:QUESTION_SHOWN - 1] + '…'}”"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def open_queries_summary(queries: Sequence[OpenQuery]) -> str:
    """"2 open queries (line 31: “Was the call billable?”; whole bill: “Cap agreed?”)"."""
    where = "; ".join(f"{f'line {q.line_id}' if q.line_id is not None else 'whole bill'}: {_quoted(q.question)}"
                      for q in queries)
    return f"{_plural(len(queries), 'open query', 'open queries')} ({where})"


def open_queries_refusal(prebill_id: int, queries: Sequence[OpenQuery]) -> str:
    return (f"pre-bill {prebill_id} has {open_queries_summary(queries)}: have them answered, or approve despite "
            "them with a reason")


def open_queries_issue_refusal(prebill_id: int, queries: Sequence[OpenQuery]) -> str:
    return (f"pre-bill {prebill_id} was approved with {open_queries_summary(queries)} and no recorded reason: "
            "reject it, have the queries answered and approve it again")


def missing_codes_refusal(prebill_id: int, client_code: str, lines: Sequence[tuple[int, Sequence[str]]]) -> str:
    """Lines missing a required UTBMS code (or carrying one the client's portal would reject)."""
    where = "; ".join(f"line {line_id}: {', '.join(messages)}" for line_id, messages in lines)
    return (f"pre-bill {prebill_id} has {_plural(len(lines), 'line', 'lines')} without the UTBMS codes client "
            f"{client_code} requires ({where}): code them on review (client {client_code} refuses uncoded lines "
            "at approval)")
