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

.PHONY: run test lint format migrations-check clean backup restore load audit messages

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

test: $(VENV)/.dev-installed node_modules/.installed
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest $(PYTEST_ARGS)

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
