# The two commands: `make run` serves the app with demo data on http://127.0.0.1:$(PORT);
# `make test` runs the whole suite on SQLite (with the browser tests), then on PostgreSQL 15.
# Both set up what they need: Debian packages (as root), .venv, translations, the database.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTEST_ARGS ?=
DEMO_PASSWORD := $(or $(ZC_DEMO_PASSWORD),Demo@2026)
DEMO_ACCOUNTS := admin demo_person demo_unit demo_superior demo_bureau demo_committee

# CLI steps never start the background scheduler; only the server does.
FLASK_CLI := ZC_SCHEDULER_ENABLED=0 $(BIN)/flask --app run
PYTEST := $(BIN)/pytest

RUN_PACKAGES := python3-venv wkhtmltopdf fonts-noto-cjk
TEST_PACKAGES := $(RUN_PACKAGES) chromium postgresql-15

# Steps depend on each other in order (packages, then .venv, then translations and the database).
.NOTPARALLEL:

.PHONY: help run test test-sqlite test-pg test-e2e setup setup-test system-packages \
        system-packages-test translations db demo clean lock bench

help:
	@echo "make run          set up and serve the app with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test         set up and run the tests on SQLite (with browser tests), then on PostgreSQL 15"
	@echo "make test-sqlite  only the SQLite run      (PYTEST_ARGS='tests/unit -x' to narrow it)"
	@echo "make test-pg      only the PostgreSQL run  (a throwaway cluster, removed afterwards)"
	@echo "make test-e2e     only the browser tests"
	@echo "make bench        the pages under load (gunicorn, wrk) on PostgreSQL and SQLite, into docs/performance.md"
	@echo "make lock         pin requirements*.txt again (with hashes) after editing requirements*.in"
	@echo "make clean        remove .venv and the browser-test screenshots (keeps instance/)"

# ---------------------------------------------------------------- set-up

system-packages:
	@scripts/apt_ensure.sh $(RUN_PACKAGES)

system-packages-test:
	@scripts/apt_ensure.sh $(TEST_PACKAGES)

$(BIN)/python: | system-packages
	$(PYTHON) -m venv $(VENV)

# The stamps make a second run skip pip until a requirements file changes.
# Installs come from the compiled files only: every package pinned, every download checked by its hash.
$(VENV)/.requirements.stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check --quiet --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev.stamp: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements.stamp

# After editing requirements.in or requirements-dev.in: pin everything again (needs the package index).
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
               --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.requirements-dev.stamp
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

translations:
	@$(BIN)/python scripts/merge_po.py
	@if compgen -G "translations/*/LC_MESSAGES/messages.po" >/dev/null; then \
	  $(BIN)/pybabel -q compile -d translations -f; \
	else echo "no translation catalogs yet (translations/*/LC_MESSAGES/messages.po)"; fi

setup: system-packages $(VENV)/.requirements.stamp translations

setup-test: system-packages-test $(VENV)/.requirements-dev.stamp translations

# ---------------------------------------------------------------- make run

db: setup
	@$(BIN)/python scripts/restamp_reordered.py
	$(FLASK_CLI) db upgrade

demo: db
	$(FLASK_CLI) demo load

run: setup db demo
	@echo
	@echo "职称申报评审系统: http://127.0.0.1:$(PORT)/"
	@echo "demo accounts (password $(DEMO_PASSWORD)):"
	@for name in $(DEMO_ACCOUNTS); do echo "  $$name"; done
	@echo "stop with Ctrl-C"
	@echo
	@# the scheduled jobs run in their own process beside the server (docs/deploy.md, the scheduler)
	ZC_SCHEDULER_ENABLED=0 $(BIN)/flask --app run scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	ZC_SCHEDULER_ENABLED=0 $(BIN)/flask --app run run --host 127.0.0.1 --port $(PORT)

# ---------------------------------------------------------------- make test

# Both runs always go; `make test` fails if either fails.
test: setup-test
	@# The two passes run side by side (one per core): PostgreSQL in the background into a log printed
	@# after the SQLite pass, which prints as it goes. TEST_SERIAL=1 runs them one after the other.
	@mkdir -p instance/test-logs; rc_sqlite=0; rc_pg=0; pg_log=instance/test-logs/postgresql.log; \
	run_pg() { scripts/pg_test_cluster.sh run $(PYTEST) -m "not e2e" $(PYTEST_ARGS); }; \
	if [ -z "$(TEST_SERIAL)" ]; then run_pg >$$pg_log 2>&1 & pg_pid=$$!; fi; \
	echo "==== pytest on SQLite ===="; \
	$(PYTEST) $(PYTEST_ARGS) || rc_sqlite=$$?; \
	echo "==== pytest on PostgreSQL 15 (browser tests only run on SQLite) ===="; \
	if [ -z "$(TEST_SERIAL)" ]; then wait $$pg_pid || rc_pg=$$?; cat $$pg_log; else run_pg || rc_pg=$$?; fi; \
	echo "==== SQLite: $$([ $$rc_sqlite = 0 ] && echo passed || echo "FAILED ($$rc_sqlite)")," \
	     "PostgreSQL: $$([ $$rc_pg = 0 ] && echo passed || echo "FAILED ($$rc_pg)") ===="; \
	[ $$rc_sqlite = 0 ] && [ $$rc_pg = 0 ]

test-sqlite: setup-test
	$(PYTEST) $(PYTEST_ARGS)

test-pg: setup-test
	scripts/pg_test_cluster.sh run $(PYTEST) -m "not e2e" $(PYTEST_ARGS)

test-e2e: setup-test
	$(PYTEST) tests/e2e $(PYTEST_ARGS)

# ---------------------------------------------------------------- make bench

# gunicorn (2 workers) on 200,000 applications, loaded by wrk; PostgreSQL 15 (throwaway cluster) and SQLite;
# the table goes into docs/performance.md. BENCH_ARGS="--duration 10 --rounds 5" to change the runs.
BENCH_ARGS ?=
bench: setup-test
	@scripts/apt_ensure.sh wrk
	scripts/pg_test_cluster.sh run $(BIN)/python bench/load.py --write $(BENCH_ARGS)

clean:
	rm -rf $(VENV) tests/e2e/artifacts
