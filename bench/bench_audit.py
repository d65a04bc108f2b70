"""Audited writes per second through the API, this tree against a baseline commit, in the same run.

    python bench/bench_audit.py [--baseline-ref d96488e] [--requests 200] [--repeat 3] [--out bench/results.json]

Each side (the baseline commit, exported with `git archive`, and this working tree) gets its own scratch
PostgreSQL database and its own gunicorn (2 workers x 4 threads, as `lexbill serve`). Clients POST
/api/v1/time-entries/ with a bearer token over keep-alive connections; every request creates a time entry and
its audit event. Scenarios: 1 and 8 concurrent clients, and a batch of events in one transaction. The sides
alternate within each repetition (and which goes first alternates between repetitions), so machine noise falls
on both; the median of the repetitions is reported, with the ratio this tree / baseline.

PostgreSQL only (the question is whether a firm's writers queue behind one another; SQLite has one writer
anyway): the server of DATABASE_URL when it is PostgreSQL, else the local one. The two scratch databases
(lexbill_bench_audit_before/after) are dropped and created again on every run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# The last commit of main whose audit_record locks the firm row for every event (issue #8 item 7).
BASELINE_REF = "d96488e"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
CLIENTS = (1, 8)
# Goals, as the ratio this tree / baseline: one client must not pay for the change (within noise); eight
# clients must gain, since on the baseline they queue behind the firm row.
# A batch (0) must gain: the baseline pays a firm-row lock and a read of the last event per event.
GOALS = {0: 1.3, 1: 0.9, 8: 1.2}

SETUP = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from lexbill.core.services import api_token_create
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
firm = factories.make_firm("Bench & Partners LLP", slug="bench")
with firm_scope(firm):
    user = factories.make_user(firm, email="bench@lexbill.test", role="admin")
    # one timekeeper per client: eight lawyers recording time, so only the firm is shared
    keepers = [factories.make_timekeeper(firm, initials=f"T{n}", standard_rate_minor=50000) for n in range(8)]
    client = factories.make_client(firm, code="ACME", name="Acme Corp")
    factories.make_matter(firm, client=client, billing_attorney=keepers[0], number="ACME-001")
    print(api_token_create(firm=firm, user=user, name="bench")[1])
"""

VERIFY = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
django.setup()
from django_scopes import scopes_disabled
from lexbill.core.audit import audit_verify
from lexbill.core.models import AuditEvent, Firm
with scopes_disabled():
    firm = Firm.objects.get(slug="bench")
    unsealed = AuditEvent.objects.filter(firm=firm, seq__isnull=True).count() if hasattr(AuditEvent, "mac") else 0
    problems = audit_verify(firm=firm)
    print(json.dumps({"events": AuditEvent.objects.filter(firm=firm).count(), "unsealed_before_verify": unsealed,
                      "problems": problems}))
"""


BATCH = """
import django, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
django.setup()
from django.db import transaction
from django_scopes import scopes_disabled
from lexbill.core.audit import audit_record
from lexbill.core.models import Firm
with scopes_disabled():
    firm = Firm.objects.get(slug="bench")
    started = time.perf_counter()
    with transaction.atomic():  # a bill run's shape: many events in one transaction (sealed once, on commit)
        for i in range(EVENTS):
            audit_record(firm=firm, actor=None, action="bench.batch", entity="prebill", entity_id=i, after={"i": i})
    print(EVENTS / (time.perf_counter() - started))
"""


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def recreate_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres").replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Side:
    """One code tree served by its own gunicorn against its own database."""

    def __init__(self, label: str, src: Path, database_url: str, home: Path):
        self.label, self.src = label, src
        self.env = {**os.environ, "PYTHONPATH": str(src), "DATABASE_URL": database_url,
                    "LEXBILL_HOME": str(home), "SECRET_KEY": "bench-secret-key-" + "x" * 40,
                    "DJANGO_SETTINGS_MODULE": "lexbill.config.settings", "LEXBILL_TASKS": "immediate"}
        self.port = free_port()
        self.token = ""
        self.process: subprocess.Popen[bytes] | None = None

    def python(self, code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{self.label}: {done.stderr.strip().splitlines()[-1:]}")
        return done.stdout.strip()

    @contextmanager
    def serving(self) -> Iterator[Side]:
        self.token = self.python(SETUP).splitlines()[-1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lexbill.config.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "gthread", "--threads", "4",
             "--log-level", "warning"], env=self.env)
        try:
            wait_until_listening(self.port, self.process)
            yield self
        finally:
            self.process.terminate()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def post_entries(side: Side, clients: int, requests: int) -> float:
    """`requests` time entries from `clients` concurrent keep-alive clients; returns entries per second."""
    # 0.1 h on dates spread over 2026 (the matter opened on 1 January): no day nears a daily-hours limit
    def bodies(keeper: int) -> list[str]:
        return [json.dumps({"matter": "ACME-001", "timekeeper": f"T{keeper}", "hours": "0.1",
                            "worked_on": str(date(2026, 1, 2) + timedelta(d)),
                            "narrative": "Review of the court's scheduling order"}) for d in range(300)]

    headers = {"Authorization": f"Bearer {side.token}", "Content-Type": "application/json"}
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    barrier = threading.Barrier(clients + 1)
    failures: list[str] = []

    def client(keeper: int, count: int) -> None:
        own = bodies(keeper)
        conn = http.client.HTTPConnection("127.0.0.1", side.port)
        barrier.wait()
        for i in range(count):
            conn.request("POST", "/api/v1/time-entries/", body=own[i % len(own)], headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 201:
                failures.append(f"{response.status} {answer[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(k, n)) for k, n in enumerate(per_client)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{side.label}: {len(failures)} requests failed, first: {failures[0]}")
    return requests / elapsed


def export_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def merge_results(out: Path, rows: list[dict[str, object]]) -> None:
    """bench/results.json holds every benchmark's scenarios; ours replace their previous values only."""
    existing = json.loads(out.read_text()) if out.exists() else {}
    kept = [r for r in existing.get("scenarios", []) if r.get("scenario") not in {r["scenario"] for r in rows}]
    existing["scenarios"] = kept + rows
    out.write_text(json.dumps(existing, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--requests", type=int, default=200, help="time entries per measurement")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=2000, help="events recorded in one transaction")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    url = server_url()
    try:
        for name in ("lexbill_bench_audit_before", "lexbill_bench_audit_after"):
            recreate_database(url, name)
    except Exception as exc:
        print(f"bench_audit: no PostgreSQL at {url} ({exc}); skipped")
        return 0
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline_ref],
                            capture_output=True, text=True, check=True).stdout.strip()
    samples: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="lexbill-bench-audit-") as tmp:
        base = Path(tmp)
        (base / "before").mkdir()
        before = Side(f"baseline {commit}", export_tree(args.baseline_ref, base / "before"),
                      with_database(url, "lexbill_bench_audit_before"), base / "home-before")
        after = Side("this tree", ROOT / "src", with_database(url, "lexbill_bench_audit_after"), base / "home-after")
        with before.serving(), after.serving():
            for rep in range(args.repeat):  # which side goes first alternates, so neither gains by its place
                for side in (before, after)[:: 1 if rep % 2 == 0 else -1]:
                    samples.setdefault((side.label, 0), []).append(
                        float(side.python(BATCH.replace("EVENTS", str(args.batch)))))
            for side in (before, after):  # warm-up: connections, imports, caches
                post_entries(side, 8, 40)
            for rep in range(args.repeat):
                for clients in CLIENTS:
                    for side in (before, after)[:: 1 if rep % 2 == 0 else -1]:
                        samples.setdefault((side.label, clients), []).append(
                            post_entries(side, clients, args.requests))
        checks = {side.label: json.loads(side.python(VERIFY)) for side in (before, after)}
    def row(scenario: str, what: str, unit: str, key: int, baseline_what: str) -> dict[str, object]:
        measured = statistics.median(samples[(after.label, key)])
        baseline = statistics.median(samples[(before.label, key)])
        return {"scenario": scenario, "what": what, "unit": unit, "median": round(measured, 1),
                "samples": [round(x, 1) for x in samples[(after.label, key)]], "baseline": baseline_what,
                "baseline_median": round(baseline, 1),
                "baseline_samples": [round(x, 1) for x in samples[(before.label, key)]],
                "ratio": round(measured / baseline, 2), "goal": f"ratio >= {GOALS[key]}",
                "goal_met": measured / baseline >= GOALS[key]}

    rows = [row(f"audited_time_entry_create_{clients}_client{'s' if clients > 1 else ''}",
                f"POST /api/v1/time-entries/ per second, {clients} concurrent client(s), PostgreSQL, gunicorn "
                "2 workers x 4 threads", "entries/s", clients,
                f"the same requests on {commit} (audit_record locks the firm row)") for clients in CLIENTS]
    rows.append(row("audit_record_batch_in_one_transaction",
                    f"{args.batch} audit_record calls in one transaction and its commit (a bill run's shape)",
                    "events/s", 0, f"the same calls on {commit}"))
    rows.append({"scenario": "audited_time_entry_create_chain_check", "what": "audit verify after the run",
                 "after": checks[after.label], "baseline": checks[before.label],
                 "goal": "chain intact on both", "goal_met": not any(c["problems"] for c in checks.values())})
    merge_results(args.out, rows)
    print(f"audited time-entry creations per second, this tree vs {commit} (PostgreSQL)")
    for row in rows[:-1]:
        print(f"  {row['scenario']:<40} {row['median']:>8} vs {row['baseline_median']:>8}  ratio {row['ratio']:.2f}  "
              f"goal {row['goal']}: {'met' if row['goal_met'] else 'NOT met'}")
    print(f"  chain check: {json.dumps(checks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
