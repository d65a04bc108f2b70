"""`lexbill serve` runs a real gunicorn that serves pages and static files (SQLite in a temp home)."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_login_page_and_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"LEXBILL_HOME": str(tmp_path)}
    server = subprocess.Popen([BIN / "lexbill", "serve", "--port", str(port), "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        # No deadline (timings belong in `make bench`): wait until gunicorn says its worker booted, after the
        # migrations ran, however long a loaded machine takes; a server that dies instead fails the test.
        assert server.stdout is not None
        log = []
        for line in server.stdout:
            log.append(line.decode(errors="replace"))
            if b"Booting worker" in line:
                break
        assert server.poll() is None, "".join(log)
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/login/") as response:
            body = response.read().decode()
        assert response.status == 200 and "Log in" in body
        with urllib.request.urlopen(f"{base}/static/lexbill/app.css") as css:
            assert css.status == 200 and b"--accent" in css.read()
        with urllib.request.urlopen(f"{base}/static/django_htmx/htmx-2.min.js") as js:
            assert js.status == 200
        assert (tmp_path / "lexbill.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(10)
