"""lexbill benchmarks: each timing is reported as a ratio against a baseline measured in the same run.

The data comes from the demo generator (`lexbill.demo.generator.demo_create`), seeded, so two runs on
the same machine and size compare. Absolute seconds vary with the machine; the ratios say whether lexbill
adds cost beyond what the database must do anyway.

    python bench/run.py [--size small|medium|large] [--repeat 5] [--out bench/out/results.json]

Runs on SQLite in a temporary LEXBILL_HOME, or on PostgreSQL when DATABASE_URL is set (it then uses
that database: point it at a scratch database, never at production).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

AS_OF = date(2026, 6, 30)


def _setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("LEXBILL_HOME", tempfile.mkdtemp(prefix="lexbill-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs after one warm-up run."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "results.json")
    args = parser.parse_args()
    _setup_django()

    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from lexbill.clients.models import Matter
    from lexbill.core.models import Firm
    from lexbill.core.tenancy import firm_scope
    from lexbill.demo.generator import demo_create
    from lexbill.exchange.exporters import export_file
    from lexbill.rates.services import rate_resolve
    from lexbill.timekeeping.models import ChargeType, EntryStatus, TimeEntry

    with scopes_disabled():
        firm = Firm.objects.filter(slug="bench").first()
    started = time.perf_counter()
    if firm is None:
        result = demo_create(size=args.size, seed=1, as_of=AS_OF, slug="bench", admin_email="bench@lexbill.test",
                             admin_password="bench-password-1", progress=True)
        firm = result.firm
    generated_s = time.perf_counter() - started
    rows: list[dict[str, object]] = []

    def report(name: str, what: str, measured: float, baseline_name: str, baseline: float, **extra: object) -> None:
        rows.append({"benchmark": name, "what": what, "seconds": round(measured, 5), "baseline": baseline_name,
                     "baseline_seconds": round(baseline, 5), "ratio": round(measured / baseline, 2), **extra})

    with firm_scope(firm):
        entries = TimeEntry.objects.count()

        # 1. WIP per matter in one SQL aggregate vs a bare count over the same table.
        def wip_totals() -> object:
            return list(TimeEntry.objects.filter(status=EntryStatus.OPEN, charge_type=ChargeType.BILLABLE)
                        .values("matter_id").annotate(hours=Sum("hours_billable")))

        report("wip_totals", f"unbilled hours per matter over {entries} entries", timed(wip_totals, args.repeat),
               "count(*) of time entries", timed(lambda: TimeEntry.objects.count(), args.repeat))

        # 2. Rate resolution (one query each) vs fetching the same matter by primary key.
        rng = random.Random(7)
        pairs = list(TimeEntry.objects.select_related("matter__client", "matter__firm", "timekeeper")
                     .order_by("id")[:5000])
        sample = [rng.choice(pairs) for _ in range(300)]
        resolve = lambda: [rate_resolve(matter=e.matter, timekeeper=e.timekeeper, worked_on=e.worked_on)  # noqa: E731
                           for e in sample]
        fetch = lambda: [Matter.objects.get(pk=e.matter_id) for e in sample]  # noqa: E731
        report("rate_resolve", "300 rate resolutions", timed(resolve, args.repeat), "300 matter fetches by pk",
               timed(fetch, args.repeat))

        # 3. Export of every time entry vs the csv module over a bare values_list of the same rows.
        def export_all() -> object:
            return export_file(firm=firm, kind="time", path=None, fmt="csv", stream=io.StringIO())

        def raw_dump() -> object:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in TimeEntry.objects.values_list("worked_on", "hours_worked", "narrative").iterator(2000):
                writer.writerow(row)
            return buffer

        report("export_time", f"export {entries} time entries (all columns)", timed(export_all, 1),
               "csv of 3 raw columns", timed(raw_dump, 1))

    # 4. The time grid (100 rows) vs the login page, through the whole Django stack.
    browser = Client()
    browser.post("/login/", {"username": "bench@lexbill.test", "password": "bench-password-1"})
    with CaptureQueriesContext(connection) as grid_queries:
        status = browser.get("/time/").status_code
    assert status == 200, status
    anonymous = Client()
    report("time_grid_page", "GET /time/ (100 rows, logged in)", timed(lambda: browser.get("/time/"), args.repeat),
           "GET /login/", timed(lambda: anonymous.get("/login/"), args.repeat), queries=len(grid_queries))

    result_doc = {"size": args.size, "database": connection.vendor, "time_entries": entries,
                  "generate_seconds": round(generated_s, 1), "results": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result_doc, indent=2))
    print(f"{args.size} firm on {connection.vendor}: {entries} time entries (generated in {generated_s:.1f} s)")
    print(f"{'benchmark':<16} {'seconds':>9} {'baseline':>9} {'ratio':>7}  what / baseline")
    for r in rows:
        print(f"{r['benchmark']:<16} {r['seconds']:>9.4f} {r['baseline_seconds']:>9.4f} {r['ratio']:>7.2f}  "
              f"{r['what']} / {r['baseline']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
