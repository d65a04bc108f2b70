"""`lexbill demo` end to end, in a subprocess on a fresh SQLite database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The installed console script, as a user runs it (`python -m lexbill.cli.main` would register the
# commands on a second copy of the module).
LEXBILL = str(Path(sys.executable).with_name("lexbill"))


@pytest.fixture
def lexbill(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LEXBILL_HOME"] = str(tmp_path)

    def run(*args):
        return subprocess.run([LEXBILL, *args], env=env, capture_output=True,
                              text=True, timeout=120)

    return run


def test_demo_then_time_add_on_a_demo_matter(lexbill):
    created = lexbill("demo", "--size", "small", "--seed", "1", "--as-of", "2026-06-30", "--json")
    assert created.returncode == 0, created.stderr
    out = json.loads(created.stdout)
    assert out["created"] is True
    assert out["firm"]["slug"] == "demo"
    assert out["counts"]["timekeepers"] == 8 and out["counts"]["matters"] == 40
    assert out["login"]["url"] == "http://127.0.0.1:8000"
    assert out["login"]["email"] == "admin@demo.lexbill.test"
    assert len(out["login"]["password"]) >= 12

    added = lexbill("time", "add", "--timekeeper", out["try"]["timekeeper"], "--matter", out["try"]["matter"],
                    "--on", "2026-06-30", "--from", "14:00", "--to", "14:30", "--narrative", "Call with client",
                    "--json")
    assert added.returncode == 0, added.stderr
    entry = json.loads(added.stdout)
    assert entry["hours_worked"] == "0.5"
    assert (entry["timekeeper"], entry["matter"]) == (out["try"]["timekeeper"], out["try"]["matter"])

    again = lexbill("demo", "--size", "small", "--seed", "2")
    assert again.returncode == 1
    assert again.stderr.strip().splitlines()[-1].startswith("lexbill: error: a firm with slug 'demo' already exists")

    skipped = lexbill("demo", "--if-empty")
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.strip() == ("the database already has a firm; no demo created. To set a password: "
                                      "lexbill user add EMAIL --role admin --password X")


def test_demo_prints_the_login_with_the_given_password(lexbill):
    created = lexbill("demo", "--seed", "5", "--as-of", "2026-03-31", "--admin-password", "s3cret-demo-pw")
    assert created.returncode == 0, created.stderr
    assert "log in at http://127.0.0.1:8000 as admin@demo.lexbill.test with password s3cret-demo-pw" in created.stdout
    assert "time entries" in created.stderr  # the progress bar
    listed = lexbill("time", "list", "--limit", "1", "--json")
    assert json.loads(listed.stdout)[0]["worked_on"] == "2026-03-31"


def test_demo_names_every_login_and_user_list_shows_them(lexbill):
    created = lexbill("demo", "--seed", "5", "--as-of", "2026-03-31", "--admin-password", "s3cret-demo-pw")
    assert created.returncode == 0, created.stderr
    out = created.stdout.splitlines()
    start = out.index("  every login below has the same password (7 in all):")
    logins = [line.split()[:2] for line in out[start + 1:start + 8]]
    assert logins[:3] == [["admin@demo.lexbill.test", "admin"], ["billing@demo.lexbill.test", "billing"],
                          ["accounting@demo.lexbill.test", "accounting"]]
    attorneys = [email for email, role in logins[3:] if role == "attorney"]
    assert len(attorneys) == 4 and all(email.endswith("@demo.lexbill.test") for email in attorneys)

    listed = json.loads(lexbill("user", "list", "--json").stdout)
    assert sorted(row["email"] for row in listed) == sorted(email for email, _ in logins)
    assert {row["role"] for row in listed} == {"admin", "billing", "accounting", "attorney"}
    assert all(row["active"] and row["last_login"] is None for row in listed)
