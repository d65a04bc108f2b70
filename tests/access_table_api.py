"""What every API route answers to every role: the expectations of the access matrix (docs/access.md).

Each route of the OpenAPI document ("METHOD /path") has one or more cases: path ids (names in
`World.ids`), a body, and one expectation per role in the order admin, billing, attorney, accounting,
client:
  O  allowed: 2xx, and a write changed something
  C  allowed by access, refused by a business rule (409 / 422): nothing changed
  3  403: the role may see but not do this (a client-role token: 403 on every staff route)
  4  404: the actor may not see this row
A "theirs" row is another attorney's; an "own" row is the attorney user's (see access_world).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    expect: str
    ids: dict[str, str] = field(default_factory=dict)  # path parameter -> World.ids key
    body: Any = None
    label: str = ""


READ_ALL = "OOOO3"
READ_OWN_ROW = "OO4O3"  # another attorney's row: the attorney gets 404
CHANGE = "OO333"
CHANGE_OWN = "OOO33"
CHANGE_THEIRS = "OO433"
APPROVE_THEIRS = "OO433"

API_CASES: dict[str, list[Case]] = {
    "GET /clients/": [Case(READ_ALL)],
    "GET /search": [Case(READ_ALL)],
    "POST /clients/": [Case(CHANGE, body={"code": "NEWCO", "name": "New Co"})],
    "GET /clients/{client_id}": [Case(READ_ALL, {"client_id": "client"})],
    "PATCH /clients/{client_id}": [Case(CHANGE, {"client_id": "client"}, {"name": "Acme Corporation"})],
    "DELETE /clients/{client_id}": [Case(CHANGE, {"client_id": "bare_client"})],
    "GET /matters/": [Case(READ_ALL)],
    "POST /matters/": [Case(CHANGE, body={"client": "ACME", "number": "ACME-010", "name": "New matter",
                                          "billing_attorney": "RA", "opened_on": "2026-03-01"})],
    "GET /matters/{matter_id}": [Case(READ_ALL, {"matter_id": "matter"})],
    "PATCH /matters/{matter_id}": [
        Case(CHANGE, {"matter_id": "matter"}, {"name": "Renamed"}),
        Case(CHANGE, {"matter_id": "matter"}, {"fee_arrangement": "flat", "fee_amount": "1.00"}, "flat fee"),
    ],
    "DELETE /matters/{matter_id}": [Case(CHANGE, {"matter_id": "bare_matter"})],
    "GET /matters/{matter_id}/payors": [Case(READ_ALL, {"matter_id": "matter"})],
    "PUT /matters/{matter_id}/payors": [Case(CHANGE, {"matter_id": "matter"}, {
        "payors": [{"client": "ACME", "share": "50"}, {"client": "INSCO", "share": "50"}]})],
    "GET /timekeepers/": [Case(READ_ALL)],
    "POST /timekeepers/": [Case(CHANGE, body={"initials": "NB", "first_name": "Nia", "last_name": "Brook",
                                              "classification": "AS", "standard_rate": "200.00"})],
    "GET /timekeepers/{timekeeper_id}": [Case(READ_ALL, {"timekeeper_id": "timekeeper"})],
    "PATCH /timekeepers/{timekeeper_id}": [
        Case(CHANGE, {"timekeeper_id": "timekeeper"}, {"standard_rate": "1.00"}),
        Case(CHANGE, {"timekeeper_id": "own_timekeeper"}, {"standard_rate": "9999.00"}, "own"),
    ],
    "DELETE /timekeepers/{timekeeper_id}": [Case(CHANGE, {"timekeeper_id": "bare_timekeeper"})],
    "GET /timers/": [Case(READ_ALL)],
    "POST /timers/": [
        Case(CHANGE, body={"matter": "ACME-001", "timekeeper": "JD", "task_code": "L120"}, label="theirs"),
        Case(CHANGE_OWN, body={"matter": "ACME-002", "timekeeper": "AN", "narrative": "Call"}, label="own"),
    ],
    # A timer is its user's alone: another user's is 404 whatever the role. The world's timers started on
    # 2026-03-10, so stopping one now is refused as more than 24 h in a day (422, nothing changed).
    "POST /timers/{timer_id}/stop": [
        Case("44C33", {"timer_id": "own_timer"}, {}, "own"),
        Case("4C433", {"timer_id": "timer"}, {}, "billing's"),
    ],
    "GET /time-entries/": [Case(READ_ALL)],
    "POST /time-entries/": [
        Case(CHANGE, body={"matter": "ACME-001", "timekeeper": "JD", "worked_on": "2026-03-05",
                           "narrative": "Call", "hours": "0.3"}, label="theirs"),
        Case(CHANGE_OWN, body={"matter": "ACME-002", "timekeeper": "AN", "worked_on": "2026-03-05",
                               "narrative": "Call", "hours": "0.3"}, label="own"),
    ],
    "GET /time-entries/{entry_id}": [
        Case(READ_OWN_ROW, {"entry_id": "entry"}, label="theirs"),
        Case(READ_ALL, {"entry_id": "own_entry"}, label="own"),
    ],
    "PATCH /time-entries/{entry_id}": [
        Case(CHANGE_THEIRS, {"entry_id": "entry"}, {"hours_billable": "0.4"}, "theirs"),
        Case(CHANGE_OWN, {"entry_id": "own_entry"}, {"narrative": "Drafting lease"}, "own"),
        Case("OO333", {"entry_id": "own_entry"}, {"timekeeper": "JD"}, "own, to another timekeeper"),
    ],
    "DELETE /time-entries/{entry_id}": [
        Case(CHANGE_THEIRS, {"entry_id": "entry"}, label="theirs"),
        Case(CHANGE_OWN, {"entry_id": "own_entry"}, label="own"),
    ],
    "GET /expenses/": [Case(READ_ALL)],
    "POST /expenses/": [
        Case(CHANGE, body={"matter": "ACME-001", "timekeeper": "JD", "incurred_on": "2026-03-05",
                           "description": "Taxi", "unit_cost": "12.00"}, label="theirs"),
        Case(CHANGE_OWN, body={"matter": "ACME-002", "timekeeper": "AN", "incurred_on": "2026-03-05",
                               "description": "Taxi", "unit_cost": "12.00"}, label="own"),
    ],
    "GET /expenses/{expense_id}": [
        Case(READ_OWN_ROW, {"expense_id": "expense"}, label="theirs"),
        Case(READ_ALL, {"expense_id": "own_expense"}, label="own"),
    ],
    "PATCH /expenses/{expense_id}": [
        Case(CHANGE_THEIRS, {"expense_id": "expense"}, {"description": "Taxi"}, "theirs"),
        Case(CHANGE_OWN, {"expense_id": "own_expense"}, {"description": "Taxi"}, "own"),
    ],
    "DELETE /expenses/{expense_id}": [
        Case(CHANGE_THEIRS, {"expense_id": "expense"}, label="theirs"),
        Case(CHANGE_OWN, {"expense_id": "own_expense"}, label="own"),
    ],
    # Users: admins only ("member" is the billing user).
    "GET /users/": [Case("O3333")],
    "POST /users/": [Case("O3333", body={"email": "new@arnsley.example", "role": "attorney"})],
    "GET /users/{user_id}": [Case("O3333", {"user_id": "member"})],
    "PATCH /users/{user_id}": [Case("O3333", {"user_id": "member"}, {"role": "accounting"})],
    "POST /users/{user_id}/reset-password": [Case("O3333", {"user_id": "member"})],
    "GET /rates/": [Case(READ_ALL)],
    "POST /rates/": [
        Case(CHANGE, body={"timekeeper": "JD", "effective_on": "2026-02-01", "rate": "350.00"}),
        Case(CHANGE, body={"timekeeper": "AN", "effective_on": "2026-02-01", "rate": "9999.00"}, label="own"),
    ],
    "GET /rates/{rate_id}": [Case(READ_ALL, {"rate_id": "rate"})],
    "DELETE /rates/{rate_id}": [Case(CHANGE, {"rate_id": "rate"})],
    "POST /bill-runs/": [Case(CHANGE, body={"through": "2026-03-31", "matters": ["INS-001"]})],
    "GET /bill-runs/": [Case(READ_ALL)],
    "GET /bill-runs/{run_id}": [Case(READ_ALL, {"run_id": "bill_run"})],
    # Bulk jobs: the single action's rule (approve: the approver; issue, send: billing; zip: who sees the rows).
    "POST /bulk-jobs/": [
        Case("OO433", body={"kind": "approve", "ids": ["@prebill"]}, label="approve theirs"),
        Case("OOO33", body={"kind": "approve", "ids": ["@own_prebill"]}, label="approve own"),
        Case(CHANGE, body={"kind": "issue", "ids": ["@approved_prebill"], "issued_on": "2026-03-10"}, label="issue"),
        Case(CHANGE, body={"kind": "send", "ids": ["@invoice"]}, label="send"),
        Case("OO4O3", body={"kind": "zip", "ids": ["@invoice"]}, label="zip"),
    ],
    "GET /bulk-jobs/{job_id}": [Case(READ_OWN_ROW, {"job_id": "bulk_job"})],
    "GET /bulk-jobs/{job_id}/zip": [Case(READ_OWN_ROW, {"job_id": "bulk_job"})],
    "GET /prebills/": [Case(READ_ALL)],
    "GET /prebills/{prebill_id}": [
        Case(READ_OWN_ROW, {"prebill_id": "prebill"}, label="theirs"),
        Case(READ_ALL, {"prebill_id": "own_prebill"}, label="own"),
    ],
    "GET /prebills/{prebill_id}/history": [
        Case(READ_OWN_ROW, {"prebill_id": "prebill"}, label="theirs"),
        Case(READ_ALL, {"prebill_id": "own_prebill"}, label="own"),
    ],
    "POST /prebills/{prebill_id}/lines/{line_id}/write": [
        Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"}, {"amount": "-10.00"}),
        Case(CHANGE, {"prebill_id": "own_prebill", "line_id": "own_line"}, {"amount": "-10.00"}, "own"),
    ],
    "POST /prebills/{prebill_id}/write": [Case(CHANGE, {"prebill_id": "prebill"}, {"percent": "-10"})],
    "POST /prebills/{prebill_id}/lines/{line_id}/narrative": [
        Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"}, {"narrative": "Legal research"})],
    "POST /prebills/{prebill_id}/lines/{line_id}/codes": [
        Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"}, {"task_code": "L130", "activity_code": "A103"})],
    "POST /prebills/{prebill_id}/lines/{line_id}/no-charge": [
        Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"}, {"no_charge": True})],
    "POST /prebills/{prebill_id}/lines/{line_id}/move": [
        Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"}, {"matter": "ACME-002"})],
    "POST /prebills/{prebill_id}/lines/{line_id}/hold": [Case(CHANGE, {"prebill_id": "prebill", "line_id": "line"})],
    "POST /prebills/{prebill_id}/queries": [Case(CHANGE, {"prebill_id": "prebill"}, {"question": "Why?"})],
    "POST /prebills/{prebill_id}/queries/{query_id}/answer": [
        Case(APPROVE_THEIRS, {"prebill_id": "prebill", "query_id": "query"}, {"answer": "Privilege"})],
    "POST /prebills/{prebill_id}/submit": [Case(CHANGE, {"prebill_id": "prebill"})],
    "POST /prebills/{prebill_id}/approve": [
        # "theirs" has an open query: approving it takes the approver's reason (issue #9 item 4)
        Case(APPROVE_THEIRS, {"prebill_id": "prebill"}, {"override_open_queries_reason": "Agreed"}, "theirs"),
        Case(CHANGE_OWN, {"prebill_id": "own_prebill"}, label="own"),
    ],
    "POST /prebills/{prebill_id}/reject": [
        Case(APPROVE_THEIRS, {"prebill_id": "prebill"}, {"reason": "Too high"}, "theirs"),
        Case(CHANGE_OWN, {"prebill_id": "own_prebill"}, {"reason": "Too high"}, "own"),
    ],
    "POST /invoices/": [Case(CHANGE, body={"prebill": "@approved_prebill", "issued_on": "2026-03-10"})],
    "GET /invoices/": [Case(READ_ALL)],
    "GET /invoices/{invoice_id}": [Case(READ_OWN_ROW, {"invoice_id": "invoice"})],
    "GET /invoices/{invoice_id}/pdf": [Case(READ_OWN_ROW, {"invoice_id": "invoice"})],
    "POST /invoices/{invoice_id}/credit-notes": [
        Case(CHANGE, {"invoice_id": "invoice"}, {"full": True, "reason": "Wrong client", "issued_on": "2026-04-10"})],
    "GET /invoices/{invoice_id}/ledes": [Case(READ_OWN_ROW, {"invoice_id": "invoice"})],
    # The invoice already has a live submission: allowed roles get 409, which proves they passed access.
    "POST /submissions": [Case("CC333", body={"invoice": "@invoice"})],
    "GET /submissions": [Case(READ_ALL)],
    "GET /submissions/{submission_id}": [Case(READ_OWN_ROW, {"submission_id": "submission"})],
    "POST /submissions/{submission_id}/status": [Case(CHANGE, {"submission_id": "submission"},
                                                      {"status": "accepted", "on": "2026-04-05"})],
    # The submission is not rejected: allowed roles get 409, which proves they passed access.
    "POST /submissions/{submission_id}/resubmit": [Case("CC333", {"submission_id": "submission"}, {})],
}
