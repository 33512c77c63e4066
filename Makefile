# JCR Portal. `make run` for the portal on embedded defaults; `make test` for the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

# make test / make bench: PostgreSQL and Redis from scripts/test_services.py, which exports
# DATABASE_URL and REDIS_URL (given ones, those answering on the default ports, or throwaway ones).
TEST_SERVICES := $(BIN)/python scripts/test_services.py
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/jcr)
TEST_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=test-only-secret-key JCR_TESTING=true DJANGO_SECURE_SSL_REDIRECT=false
# Production-like values for `check --deploy` (a throwaway key long enough for the check), whatever
# the calling shell sets; media on a volume shared by every host (JCR_SHARED_MEDIA).
DEPLOY_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_DEBUG=false \
	DJANGO_SECURE_SSL_REDIRECT=true JCR_TESTING=false JCR_GEOCODER=census \
	DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=portal.jcr.example JCR_SITE_URL=https://portal.jcr.example JCR_SHARED_MEDIA=true \
	JCR_SOCIAL_CREDENTIALS_KEY=$$($(PYTHON) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	JCR_MFA_KEY=$$($(PYTHON) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
# Links in e-mails and feeds use the address the portal is served on (PORT), unless JCR_SITE_URL
# says otherwise; JCR_DEBUG_ERROR_PAGES shows the portal's own 404 and 500 pages with DEBUG on.
RUN_ENV := DJANGO_DEBUG=$(or $(DJANGO_DEBUG),true) JCR_SITE_URL=$(or $(JCR_SITE_URL),http://127.0.0.1:$(PORT)) \
	JCR_DEBUG_ERROR_PAGES=$(or $(JCR_DEBUG_ERROR_PAGES),true)
PYTEST_WORKERS ?= 2

.PHONY: help run test lint format worker beat messages bench otp install install-dev system-deps test-suite clean

help:
	@echo "make run    the portal with web, worker and beat on SQLite and a server-less broker (demo data loaded)"
	@echo "make test   the whole suite against PostgreSQL and Redis (its own when none answers), plus lint and deployment checks"
	@echo "make lint | format | messages | worker | beat | otp EMAIL=... | bench"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# GNU gettext (makemessages), Chromium and npm (browser tests), redis-server (fault drills) and
# pg_dump (backup drill) come from the system packages; scripts/test_services.py installs the
# PostgreSQL server itself when it has to start one.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	[ -x /usr/bin/pg_dump ] || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make test needs the system packages:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

run: $(VENV)/.installed
	@mkdir -p var
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py compile_translations
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "JCR Portal: http://127.0.0.1:$(PORT)/   staff sign-in: http://127.0.0.1:$(PORT)/accounts/login/   (Ctrl-C stops web, worker and beat)"
	$(RUN_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

otp: $(VENV)/.installed
	@$(RUN_ENV) $(BIN)/python manage.py demo_otp $(EMAIL)

worker: $(VENV)/.installed
	$(RUN_ENV) $(BIN)/celery -A jcr worker --loglevel=INFO

beat: $(VENV)/.installed
	$(RUN_ENV) $(BIN)/celery -A jcr beat --loglevel=INFO

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache .importlinter $(wildcard importlinter/*.ini)
	$(BIN)/python scripts/module_sizes.py

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/python manage.py makemessages --locale es --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

test: $(VENV)/.installed-dev system-deps lint
	@$(TEST_SERVICES) $(MAKE) --no-print-directory test-suite

# The part of `make test` that uses PostgreSQL and Redis (DATABASE_URL / REDIS_URL from `make test`).
test-suite: $(VENV)/.installed-dev
	$(BIN)/bandit -q -r jcr outreach prosecution govrelations integrity -x '*/tests/*' --severity-level medium
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	# Production static files: hashed, compressed, every reference resolvable.
	tmp=$$(mktemp -d) && $(DEPLOY_ENV) DJANGO_STATIC_ROOT=$$tmp $(BIN)/python manage.py collectstatic --noinput -v0 && rm -rf $$tmp
	$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore '.venv/*' >/dev/null
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund  # axe-core for tests/browser
	$(TEST_ENV) $(BIN)/pytest --create-db -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

# Not part of `make test`: seeds PostgreSQL at scale and measures with wrk (loopback only).
bench: $(VENV)/.installed-dev system-deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }
	$(TEST_SERVICES) $(BIN)/python -m tests.bench.run $(BENCH_ARGS)

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
