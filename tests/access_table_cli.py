"""What every `lexbill` command answers with `--as EMAIL` of every role (admin, billing, attorney,
accounting, client), and that it runs for the local operator (no --as).

Codes: O  exit 0 (a write: and something changed)
       C  passed access, refused by a business rule (exit 1): nothing changed
       3  exit 1, "your role (...) may not ...": nothing changed
       4  exit 1, "not found" (a row the member may not see, or any staff record for a client user)
Arguments: {name} is World.ids[name], {invoice_number} the issued invoice's number, {tmp} a scratch folder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    args: tuple[str, ...]
    expect: str
    writes: bool
    label: str = ""


def read(expect: str, *args: str, label: str = "") -> Command:
    return Command(args, expect, False, label)


def write(expect: str, *args: str, label: str = "") -> Command:
    return Command(args, expect, True, label)


# Commands about no firm, for the operator at the machine only: they must not offer --as.
OPERATOR_ONLY = {"demo", "firm add", "firm list", "idempotency purge", "ledes validate", "manage", "migrate", "serve", "worker"}

CLI_COMMANDS: dict[str, list[Command]] = {
    "audit seal": [read("O3334")],
    "audit verify": [read("O33O4")],
    "billrun": [write("OO334", "--through", "2026-03-31", "--matter", "INS-001")],
    # (the "theirs" pre-bill has an open query, which holds its approval: the own one shows who may)
    "bulk approve": [write("OOO34", "{own_prebill}", label="own")],
    "bulk issue": [write("OO334", "{approved_prebill}", "--on", "2026-03-10")],
    "bulk send": [write("OO334", "{invoice_number}")],
    "bulk zip": [write("OO4O4", "{invoice_number}", "-o", "{tmp}/bulk.zip")],
    "client settings": [write("OO334", "ACME", "--missing-codes", "warn")],
    "ebill list": [read("OOOO4")],
    "ebill status": [write("OO334", "{invoice_number}", "--accepted", "--on", "2026-04-05")],
    # The invoice already has a live submission: allowed roles are refused by that rule, not by access.
    "ebill submit": [read("CC334", "{invoice_number}")],
    "ebill writedown": [read("CC334", "{invoice_number}")],
    "export": [read("OO3O4", "time", "-o", "{tmp}/time.csv")],
    "import": [read("OO334", "clients", "{tmp}/clients.csv", "--dry-run")],
    "firm settings": [read("O3334")],
    "invoice credit": [write("OO334", "{invoice_number}", "--full", "--reason", "Wrong client", "--on",
                             "2026-04-10")],
    "invoice issue": [write("OO334", "{approved_prebill}", "--on", "2026-03-10")],
    "invoice list": [read("OOOO4")],
    "invoice pdf": [read("OO4O4", "{invoice_number}", "-o", "{tmp}/invoice.pdf")],
    "invoice send": [write("OO334", "{invoice_number}", "--to", "ap@acme.example")],
    "invoice show": [read("OO4O4", "{invoice_number}")],
    "ledes export": [read("OO4O4", "{invoice_number}", "-o", "{tmp}/invoice.txt")],
    "matter fee-item add": [write("OO334", "ACME-001", "--amount", "500.00", "--description", "Filing",
                                  "--due", "2026-03-01")],
    "matter fee-item list": [read("OOOO4", "ACME-001")],
    "matter fee-item reached": [read("CC334", "{fee_item}")],  # a dated item is not a milestone
    "matter payors": [write("OO334", "ACME-001", "--set", "ACME=50", "--set", "INSCO=50")],
    "matter recovery add": [write("OO334", "ACME-003", "--amount", "1000.00", "--on", "2026-03-05")],
    "matter recovery list": [read("OOOO4", "ACME-003")],
    "prebill approve": [write("OO434", "{prebill}", "--override-queries", "Agreed", label="theirs"),
                        write("OOO34", "{own_prebill}", label="own")],
    "prebill list": [read("OOOO4")],
    "prebill pdf": [read("OO4O4", "{prebill}", "-o", "{tmp}/prebill.pdf")],
    "prebill reject": [write("OO434", "{prebill}", "--reason", "Too high", label="theirs"),
                       write("OOO34", "{own_prebill}", "--reason", "Too high", label="own")],
    "prebill code": [write("OO334", "{prebill}", "{line}", "--task", "L130")],
    "prebill show": [read("OO4O4", "{prebill}", label="theirs"), read("OOOO4", "{own_prebill}", label="own")],
    "search": [read("OOOO4", "ACME")],
    "tax add": [write("OO334", "GST", "--rate", "10")],
    "tax deactivate": [write("OO334", "{tax}")],
    "tax list": [read("OO334")],
    "time add": [write("OO334", "--timekeeper", "JD", "--matter", "ACME-001", "--on", "2026-03-05", "--hours",
                       "0.5", "--narrative", "Call", label="theirs"),
                 write("OOO34", "--timekeeper", "AN", "--matter", "ACME-002", "--on", "2026-03-05", "--hours",
                       "0.5", "--narrative", "Call", label="own")],
    "time list": [read("OOOO4")],
    # As the operator, a timer belongs to the timekeeper's login (AN's is the attorney's).
    "timer start": [write("OOO34", "--timekeeper", "AN", "--matter", "ACME-002", "--task", "L120")],
    "timer list": [read("OOOO4")],
    # The world's timers started on 2026-03-10: stopping one now is more than 24 h in a day (refused).
    "timer stop": [write("CCC34", "{own_timer}", label="own"), write("CC434", "{timer}", label="billing's")],
    "token create": [write("O3334", "--user", "billing@arnsley.example")],
    "user add": [write("O3334", "new@arnsley.example", "--role", "attorney", "--password", "correct-horse-42")],
    "user list": [read("O3334")],
    "user role": [write("O3334", "billing@arnsley.example", "--role", "accounting")],
    "user deactivate": [write("O3334", "billing@arnsley.example")],
    # the billing member is active: reactivating changes nothing, and is allowed
    "user reactivate": [read("O3334", "billing@arnsley.example")],
    "user reset-password": [write("O3334", "billing@arnsley.example")],
}
