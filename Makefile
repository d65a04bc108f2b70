# lexbill: `make run` serves the demo firm; `make test` runs the whole suite on SQLite and PostgreSQL.
# Everything is installed from package registries by these targets; nothing by hand.

PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PG_SOCKET_URL := postgres://postgres@%2Fvar%2Frun%2Fpostgresql/postgres

.PHONY: run test test-sqlite test-postgres lint typecheck system-deps bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# The worker runs background tasks (bill runs started from the web) beside the server, and stops with it.
run: $(VENV)/.synced
	$(BIN)/lexbill migrate
	$(BIN)/lexbill demo --if-empty
	$(BIN)/lexbill worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(BIN)/lexbill serve --host 127.0.0.1 --port 8000

# Debian packages the tests drive: Chromium (browser tests) and poppler-utils (pdftotext).
system-deps:
	@scripts/ensure-system-deps

test: $(VENV)/.synced system-deps lint
	$(MAKE) test-sqlite
	scripts/maybe-postgres $(MAKE) test-postgres

test-sqlite: $(VENV)/.synced
	env -u DATABASE_URL LEXBILL_HOME=$$(mktemp -d) $(BIN)/pytest -n 2

test-postgres: $(VENV)/.synced
	LEXBILL_HOME=$$(mktemp -d) $(BIN)/pytest -n 2

lint: $(VENV)/.synced
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/mypy

bench: $(VENV)/.synced
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_audit.py

clean:
	rm -rf $(VENV) $(TOOLS)
