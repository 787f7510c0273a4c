# The README's commands. `make run` and `make test` set everything up on a machine that has
# only Python 3.11+; nothing else needs installing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint fmt bench bench-national clean demo messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Static files are collected once with hashed names, gzip and brotli copies and long cache
# lifetimes (STATIC_MANIFEST=true), as in production: the first page stays light on a slow link.
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	STATIC_MANIFEST=true $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	STATIC_MANIFEST=true REHAB_DEMO=1 PATH="$(CURDIR)/$(BIN):$$PATH" sh bin/serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python bin/check_translations.py

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

bench: $(STAMP)
	$(BIN)/python bench/inmate_list.py
	$(BIN)/python bench/report_pdf.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/worker_restart.py

# Needs DATABASE_URL: a PostgreSQL database filled by `manage.py seed_scale` (see README).
bench-national: $(STAMP)
	$(BIN)/python bench/national.py

clean:
	rm -rf $(VENV) var db.sqlite3*
