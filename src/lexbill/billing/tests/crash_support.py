"""kill -9 a `lexbill` command in the middle of writing one record, on PostgreSQL.

Row locks held from other connections pause the command at a chosen point: first a lock on the row of the
record before which it should stop (it commits everything before, then waits), then a SHARE lock on the
audit table (the audit event, written last in every service, is an INSERT, which waits for it): released
from the first lock, the command writes the record and waits again in its last statement before COMMIT. It
is killed there, so the COMMIT is never sent. (A wait inside COMMIT itself, such as a deferred foreign-key
check, would not do: the server finishes a COMMIT it has received even when the client is gone.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import psycopg
from django.db import connection


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket directory (make test's local default): URL-encoded in the host part
        return f"postgres://{auth}@{quote(host, safe='')}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def _conninfo() -> str:
    return database_url().replace("postgres://", "postgresql://", 1)


def lexbill_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from lexbill.cli.main import main; main()", *args]


def _wait_until_blocked(watcher: psycopg.Connection, proc: subprocess.Popen[bytes]) -> None:
    """Until the command's backend waits on a row lock we hold (or fail if it ended first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the command ended before it reached the locked row"
        row = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND wait_event_type = 'Lock'").fetchone()
        if row and row[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the command never blocked")


def kill_mid_write(command: list[str], env: dict[str, str], *, stop_before: tuple[str, int],
                   writing_table: str) -> None:
    """Run `command`, let it commit everything before row `stop_before` = (table, id), let it write that
    record, and kill -9 it before the commit; assert it really had rows of `writing_table` in flight."""
    table, row_id = stop_before
    with psycopg.connect(_conninfo()) as row_lock, psycopg.connect(_conninfo()) as audit_lock, \
            psycopg.connect(_conninfo(), autocommit=True) as watcher:
        row_lock.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", (row_id,))
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_blocked(watcher, proc)
            audit_lock.execute("LOCK TABLE core_auditevent IN SHARE MODE")
            row_lock.rollback()
            time.sleep(0.5)  # let it leave the first wait before looking for the second
            _wait_until_blocked(watcher, proc)
            in_flight = watcher.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock'", (writing_table,)).fetchone()
            assert in_flight and in_flight[0] >= 1  # it really is mid-write
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            audit_lock.rollback()
