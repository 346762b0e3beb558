# CoTrack: `make run` serves the app, `make test` runs the tests. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
INSTANCE := $(or $(COTRACK_INSTANCE),instance)
export FLASK_APP := wsgi.py

.PHONY: run dev worker test lint install install-test db clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# A random secret key, made once, shared by every worker and every restart.
$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

# The ledger key: keys the revenue hash chain and signs statements; kept outside the
# database (README, "Tamper evidence"). Made once; back it up apart from the database.
$(INSTANCE)/ledger_key:
	mkdir -p $(INSTANCE)
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

db: install $(INSTANCE)/secret_key $(INSTANCE)/ledger_key
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty

# gunicorn and the task queue's worker together (Procfile); mails go to instance/mail as
# .eml files unless MAIL_URL is set (README, "Mail and the worker")
run: db
	@echo "CoTrack on http://127.0.0.1:$(PORT)  (demo password: cotrack-demo)"
	VIRTUAL_ENV_BIN=$(abspath $(BIN)) WORKERS=$(WORKERS) \
	  COTRACK_BASE_URL=$${COTRACK_BASE_URL:-http://127.0.0.1:$(PORT)} \
	  $(BIN)/honcho start -f Procfile -p $(PORT)

# the worker alone: mail delivery, digests and other background work
worker: db
	$(BIN)/flask worker

dev: db
	$(BIN)/flask run --debug --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

# two pytest-xdist workers (one per core here); TEST_WORKERS=0 runs the tests in one process
TEST_WORKERS ?= 2
test: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not walk" -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The page walk (tests/browser/test_pages_browser.py): axe-core, no page wider than a phone,
# colour modes, over every page as every role at both widths; ~3.5 minutes, so apart from
# `make test`'s quick loop. .ci/run runs it on both databases.
.PHONY: test-walk
test-walk: install-test
	$(BIN)/python -m pytest -m walk tests/browser $(PYTEST_ARGS)

# The stateful machine for longer (tests/property/test_machine.py): FUZZ_SECONDS of new
# examples, then up to FUZZ_SHRINK_SECONDS to shrink a failure. COTRACK_FUZZ_SEED=<n> replays
# a run; TEST_DATABASE_URL runs it on PostgreSQL.
FUZZ_SECONDS ?= 1800
FUZZ_SHRINK_SECONDS ?= 900
.PHONY: fuzz
fuzz: install-test
	COTRACK_FUZZ_SECONDS=$(FUZZ_SECONDS) COTRACK_FUZZ_SHRINK_SECONDS=$(FUZZ_SHRINK_SECONDS) \
	COTRACK_FUZZ_EXAMPLES=$${COTRACK_FUZZ_EXAMPLES:-50} \
	COTRACK_FUZZ_STEPS=$${COTRACK_FUZZ_STEPS:-50} \
	$(BIN)/python -m pytest -q -s tests/property $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmark (bench/README.md): fills PostgreSQL with the full data set and measures it.
BENCH_DB ?= postgresql+psycopg://postgres@127.0.0.1/cotrack_bench
BENCH_SQLITE ?= /tmp/cotrack_bench_small.db

.PHONY: bench bench-sqlite bench-import bench-profile
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS cotrack_bench WITH (FORCE)' -c 'CREATE DATABASE cotrack_bench'
	$(BIN)/python bench/generate.py --database-url $(BENCH_DB)
	$(BIN)/python bench/run.py --database-url $(BENCH_DB)

bench-sqlite: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	$(BIN)/python bench/generate.py --database-url sqlite:///$(BENCH_SQLITE) --scale 0.1
	$(BIN)/python bench/run.py --database-url sqlite:///$(BENCH_SQLITE)

bench-import: install
	$(BIN)/python bench/import_bench.py

# where each benchmarked page's time goes (pyinstrument), on the database `make bench` filled
bench-profile: install-test
	$(BIN)/python bench/profile_pages.py --database-url $(BENCH_DB)
