# Two commands set everything up: `make run` and `make test`.
# Any Python from 3.11 on: the newest python3.1x on the PATH, or the one PYTHON= names.
PYTHONS := python3.14 python3.13 python3.12 python3.11 python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
SERVE_PORT ?= 8443
# Development: debug on and links in emails pointing at the port served. Production
# sets its own environment (deploy/reconnect.env.example); DEBUG is off by default.
export DEBUG ?= true
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install run demo test check lint migrate serve serve-check hosts-check bench load \
	screenshots lock clean

$(BIN)/python:
	@python="$(PYTHON)"; \
	if [ -z "$$python" ]; then \
	    for candidate in $(PYTHONS); do \
	        if $$candidate -c '' 2>/dev/null; then python=$$candidate; break; fi; \
	    done; \
	fi; \
	if [ -z "$$python" ] || ! "$$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo "Reconnect needs Python 3.11 or newer (CI tests 3.11 and 3.13);" \
	        "$${python:-no python3.1x or python3 was found}$${python:+ is older or does not run}." >&2; \
	    echo "Install one, or name it: make PYTHON=/path/to/python3.13 $(MAKECMDGOALS)" >&2; \
	    exit 1; \
	fi; \
	echo "Using $$("$$python" -c 'import sys; print(sys.executable, sys.version.split()[0])') for $(VENV)"; \
	"$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the locked versions, each checked against its hash; a stamp per
# lock file, so a change to it reinstalls.
$(VENV)/.installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

run: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo: migrate
	PORT=$(PORT) $(BIN)/python manage.py demo

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything but the browser tests: the everyday loop.
check: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# The production stack on this machine: gunicorn behind Caddy with a certificate of
# its own, on https://127.0.0.1:$(SERVE_PORT). Needs Caddy (apt-get install caddy).
serve: $(VENV)/.installed
	$(BIN)/python deploy/serve.py --port $(SERVE_PORT)

# The production stack checked over HTTPS, as CI does.
serve-check: $(VENV)/.installed
	$(BIN)/python deploy/serve.py --check

# Two app servers on one PostgreSQL (DATABASE_URL) with a shared cache.
hosts-check: $(VENV)/.installed
	$(BIN)/python bench/hosts.py

bench: $(VENV)/.installed
	$(BIN)/python bench/pages.py

load: $(VENV)/.installed
	$(BIN)/python bench/load.py

screenshots: $(VENV)/.installed-dev
	$(BIN)/python docs/screenshots.py

# Lock the dependencies of pyproject.toml anew, for every Python from 3.11 on.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	    --generate-hashes --custom-compile-command "make lock" --quiet --output-file requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	    --generate-hashes --custom-compile-command "make lock" --quiet --output-file requirements/dev.txt

clean:
	rm -rf $(VENV) *.egg-info
