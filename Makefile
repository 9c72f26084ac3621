# Two commands set everything up: `make run` and `make test`.
# Python 3.11, by that name where it is installed so, else as python3.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run demo test lint migrate bench load screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per dependency set, so a change to pyproject.toml reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo: migrate
	PORT=$(PORT) $(BIN)/python manage.py demo

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(VENV)/.installed
	$(BIN)/python bench/pages.py

load: $(VENV)/.installed
	$(BIN)/python bench/load.py

screenshots: $(VENV)/.installed-dev
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) *.egg-info
