# Two commands for a new user: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-js test-browser lint setup setup-dev migrate seed reset-passwords check-deploy bench lock clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs come from the lock files (exact versions, reproducible); `make lock` rewrites them from the
# ranges in requirements*.txt.
$(VENV)/.installed: requirements.lock $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.lock
	touch $@

lock: $(VENV)/bin/activate
	$(PIP) install --quiet "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements-dev.lock requirements-dev.txt

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed
	$(PY) manage.py demo_accounts
	$(PY) manage.py demo_annotations

# The job worker (manage.py jobs_worker) runs in the background beside the server and stops with it.
run: setup-dev seed
	@echo "Serving on http://$(HOST):$(PORT)/ (log in with an account printed above); background jobs: one worker"
	@$(PY) manage.py jobs_worker --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

reset-passwords: migrate
	$(PY) manage.py demo_accounts --reset

test: setup-dev test-js
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Unit tests of the workspace's pure JavaScript modules: Node's own runner, no npm dependencies.
test-js:
	node --test tests/js/

# Lint, format check and types (as CI runs them before the tests).
lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test-browser: setup-dev
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium (needs root)"; apt-get update -qq && apt-get install -y -qq chromium; }
	@test -f .cache/axe/node_modules/axe-core/axe.min.js || npm install --silent --no-save --no-package-lock axe-core@4.10.2 --prefix .cache/axe
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser $(PYTEST_ARGS)

check-deploy: setup
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-example.org} $(PY) manage.py check --deploy

bench: setup-dev
	$(PY) benchmarks/export_bench.py --quotes 100000

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
