# 店小二 — the two commands: `make demo` and `make test`. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL for the second test run (CI always has it; trust auth on loopback).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/dianxiaoer
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build browser demo serve test test-sqlite test-postgres migrate demo-data bench bench-sites bench-load clean

install: $(VENV)/.installed node_modules/.installed build browser

# Re-runs only when pyproject.toml changes, so `make test` stays quick after the first time.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==25.3"
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

# Browser libraries (Chart.js, idb) and the bundler (esbuild) from the npm registry, pinned by
# package-lock.json; the libraries are served by the app itself (see STATICFILES_DIRS).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# The front end bundled by esbuild into var/build (README "Front end"); again only when a
# source changed. About a second (brotli at its best setting takes most of it).
build: var/build/manifest.json

var/build/manifest.json: $(VENV)/.installed node_modules/.installed frontend_build.mjs $(shell find frontend_static -type f)
	$(BIN)/python manage.py build_frontend

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian chromium (browser tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium chromium-driver' (browser tests need it)"; \
	  fi; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable

demo-data: migrate
	$(BIN)/python manage.py load_demo_town

# The web server and one background worker (Procfile), run by honcho: one Ctrl-C stops both.
demo: demo-data
	@echo "店小二 demo: http://$(HOST):$(PORT)/ and a background worker (Ctrl-C stops both)"
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho --no-colour -f Procfile start

test: install
	$(BIN)/python tests/run_all.py

test-sqlite: install
	$(BIN)/python -m pytest

test-postgres: install
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/load_demo_town.py --postgres

# 100,000 sites: our search endpoint vs a minimal ninja endpoint vs raw SQL, SQLite then PostgreSQL.
bench-sites: install
	$(BIN)/python bench/sites_search.py

# Load: gunicorn + wrk on loopback, SQLite then PostgreSQL (issue #6); installs Debian's wrk when missing.
bench-load: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "wrk is missing: run 'sudo apt-get install wrk'"; exit 1; }
	$(BIN)/python bench/load/run.py

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
