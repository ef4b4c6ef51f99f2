# Two commands do all set-up on a fresh machine:
#   make run   - the app with demo data on the embedded default (SQLite, no Redis)
#   make test  - the whole test suite (add TEST_DATABASE_URL / REDIS_URL for PostgreSQL and Redis);
#                runs beside `make run` (own ports, own build); one layer: make test PYTEST_ARGS=tests/services
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BUN := .tools/node_modules/.bin/bun
# Reflex 0.10 wants Node >= 22 for npm; bun from the npm registry builds the frontend instead.
REFLEX := PATH=$(CURDIR)/.tools/node_modules/.bin:$$PATH REFLEX_USE_SYSTEM_BUN=1 $(VENV)/bin/reflex
PYTEST_ARGS ?=

.PHONY: run test setup setup-dev chromium migrate seed lint typecheck bench prod worker beat clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

$(BUN):
	npm install --prefix .tools --no-fund --no-audit --loglevel=error bun@1.4.4

setup: $(VENV)/.installed $(BUN)

setup-dev: setup $(VENV)/.dev-installed

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here);
# any chromium / chromium-browser / google-chrome on the PATH will do.
chromium:
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
		&& ! command -v google-chrome >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: install Debian's chromium package (needs root)"; exit 1; fi; \
	fi

migrate: setup
	$(PY) -m mediconnect.cli migrate

seed: migrate
	$(PY) -m mediconnect.cli seed --scale demo --if-empty

run: seed
	$(PY) -m mediconnect.cli demo-logins
	$(REFLEX) run --env prod

# Chromium only when tests/browser may run: no path in PYTEST_ARGS (the whole suite), or a path
# that is tests/browser, inside it, or above it. `make test PYTEST_ARGS=tests/services` needs neither
# Chromium nor root. The 20 slowest tests are listed at the end, so growth shows.
test: setup-dev
	@need=all; for arg in $(PYTEST_ARGS); do \
		path="$${arg%%::*}"; [ -e "$$path" ] || continue; [ "$$need" = all ] && need=none; \
		case "$$(realpath --relative-to=. "$$path")/" in tests/browser/*|tests/|./) need=browser; break;; esac; \
	done; [ "$$need" = none ] || $(MAKE) --no-print-directory chromium
	$(PY) -m pytest --durations=20 $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: setup-dev
	$(VENV)/bin/mypy

bench: setup-dev
	$(PY) -m bench.seed --scale demo

# Production mode: PostgreSQL + Redis, GRANIAN_WORKERS backend processes sharing state in
# Redis (each holds one event subscription), a Celery worker and beat. Needs DATABASE_URL,
# REDIS_URL and SECRET_KEY in the environment (or .env). The same processes, one per line: Procfile.
GRANIAN_WORKERS ?= 2
prod: setup
	@test -n "$$REDIS_URL" || { echo "make prod needs REDIS_URL (and DATABASE_URL, SECRET_KEY)"; exit 2; }
	$(PY) -m mediconnect.cli migrate
	$(VENV)/bin/celery -A workers.celery_app worker --loglevel=info & \
	$(VENV)/bin/celery -A workers.celery_app beat --loglevel=info & \
	GRANIAN_WORKERS=$(GRANIAN_WORKERS) $(REFLEX) run --env prod; kill %1 %2; wait

clean:
	rm -rf .web .states test-artifacts
