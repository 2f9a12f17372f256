# The two commands everyone needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# make test talks to real services; these defaults are the local PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/amparo
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Without REDIS_URL, `make run` also starts the embedded broker (clinic/embedded_broker.py).
RUN_PROCESSES := $(if $(REDIS_URL),web worker beat,broker web worker beat)

.PHONY: run test lint format migrations-check clean backup restore load audit messages bench serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

run: $(VENV)/.run-installed
	@$(BIN)/python scripts/check_port.py $(PORT)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Amparo: http://127.0.0.1:$(PORT)  (users intake, attorney, supervisor, clinicadmin, attorney2; password clinic-demo). Ctrl-C stops everything."
	PATH="$(CURDIR)/$(BIN):$$PATH" AMPARO_PORT=$(PORT) $(BIN)/honcho start $(RUN_PROCESSES)

# The browser tests inject axe-core (package.json, pinned; package-lock.json) into the pages.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# In TEST_WORKERS processes (pytest-xdist), each on its own test database and Redis database:
# worker N on REDIS_URL's number plus N (tests/conftest.py). PYTEST_ARGS="-n 0" runs in one process.
TEST_WORKERS ?= 2
test: $(VENV)/.dev-installed node_modules/.installed
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known vulnerabilities of every package in the venv. --strict: a package it could not look up
# fails the audit too, so an unreachable advisory service is never a pass.
audit: $(VENV)/.dev-installed
	$(BIN)/pip-audit --strict --progress-spinner off $(if $(AUDIT_SERVICE),--vulnerability-service $(AUDIT_SERVICE))

# The Spanish catalogue: new messages into locale/es/LC_MESSAGES/django.po (translate them there),
# then compiled for the app. Needs GNU gettext (Debian's gettext).
messages: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemessages -l es --no-location -i ".venv/*" -i "tests/*" -i "node_modules/*"
	$(BIN)/python manage.py compilemessages -l es -i ".venv" -i "node_modules"

migrations-check: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemigrations --check --dry-run

# Backups of DATABASE_URL (PostgreSQL) and MEDIA_ROOT into BACKUP_DIR (scripts/backup.py, README).
# `make restore` takes the newest backup, or BACKUP=DIR; FORCE=1 replaces a database that has tables.
BACKUP_DIR ?= var/backups
backup: $(VENV)/.run-installed
	$(BIN)/python scripts/backup.py backup --dir "$(BACKUP_DIR)"

restore: $(VENV)/.run-installed
	$(BIN)/python scripts/backup.py restore --dir "$(BACKUP_DIR)" $(if $(BACKUP),"$(BACKUP)") $(if $(filter 1 yes true,$(FORCE)),--force)

clean:
	rm -rf $(VENV) node_modules var/staticfiles var/screenshots

# Issue 7's load run: gunicorn with the production settings on loopback, 20 simulated users for
# 60 s (locust headless). A benchmark, not a test: see benchmarks/load.py.
load: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/load.py $(LOAD_ARGS)

# A production-shaped run (docs/deploy.md): clinic.settings.production on the PostgreSQL and Redis
# of DATABASE_URL and REDIS_URL (SECRET_KEY and ALLOWED_HOSTS too; see .env.example). Migrates,
# collects the static files into STATIC_ROOT, then runs Procfile.production under honcho: gunicorn
# (WEB_CONCURRENCY workers on PORT), a worker for the reminders queue, one for the default queue,
# and beat. Ctrl-C or SIGTERM stops them all. SERVE_SETTINGS names another settings module; on
# every machine but one, SERVE_PROCESSES="web reminders worker" (there is exactly one beat).
# Only the environment counts: honcho is told not to read a .env file, which migrate would not see.
SERVE_SETTINGS ?= clinic.settings.production
SERVE_PROCESSES ?= web reminders worker beat
# make dies at once on a SIGTERM sent to it alone (a supervisor that signals only its main process):
# honcho, its child, then gets a SIGTERM of its own (Linux's parent-death signal, util-linux setpriv)
# and stops the rest, instead of leaving them running.
PDEATHSIG = $(if $(shell command -v setpriv),setpriv --pdeathsig TERM)
serve: $(VENV)/.run-installed
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) PORT=$(PORT) \
		exec $(PDEATHSIG) $(BIN)/honcho --env /dev/null --procfile Procfile.production start $(SERVE_PROCESSES)

# Issue 9: each page's server time on the scale data beside Django's admin change list and the
# page's bare SQL (benchmarks/bench.py), then the HTTP load run under gunicorn (benchmarks/http_load.py,
# Debian's wrk). Loads `seed_scale --clients $(BENCH_CLIENTS)` into BENCH_DATABASE_URL on the first
# run (about 3 minutes for 100,000). Results in benchmarks/results/; fails when a page misses its budget.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/amparo_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
BENCH_CLIENTS ?= 100000
bench: $(VENV)/.dev-installed
	@export DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL); status=0; \
	$(BIN)/python benchmarks/bench.py --clients $(BENCH_CLIENTS) $(BENCH_ARGS) || status=$$?; \
	[ $$status -le 1 ] && { $(BIN)/python benchmarks/http_load.py $(HTTP_LOAD_ARGS) || status=$$?; }; \
	exit $$status
