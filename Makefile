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
