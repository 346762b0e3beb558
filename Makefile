# CoTrack: `make run` serves the app, `make test` runs the tests. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
INSTANCE := $(or $(COTRACK_INSTANCE),instance)
export FLASK_APP := wsgi.py

.PHONY: run dev test lint install install-test db clean

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

db: install $(INSTANCE)/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty

run: db
	@echo "CoTrack on http://127.0.0.1:$(PORT)  (demo password: cotrack-demo)"
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

dev: db
	$(BIN)/flask run --debug --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmark (bench/README.md): fills PostgreSQL with the full data set and measures it.
BENCH_DB ?= postgresql+psycopg://postgres@127.0.0.1/cotrack_bench
BENCH_SQLITE ?= /tmp/cotrack_bench_small.db

.PHONY: bench bench-sqlite bench-import
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
