# spasmcare: the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SR28   ?= data/usda-sr28
# PostgreSQL for `make test-postgres` (CI starts a server on loopback with .ci/postgres.sh).
PG_URL ?= postgres://spasmcare:spasmcare@127.0.0.1:5432/spasmcare

.PHONY: system-deps install demo cli-demo test test-postgres lint bench foods-data foods-index messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The Debian packages beside the Python ones (Chromium, PostgreSQL, Pango and fonts for PDFs);
# needs root. CI runs it first.
system-deps:
	bash .ci/system-deps.sh

# The clinic app on http://127.0.0.1:8000 with a fictional demo clinic (SQLite under ./var);
# another port with `make demo PORT=8001`.
PORT ?= 8000
demo: install
	$(BIN)/python -m spasmcare.web demo --port $(PORT)

# The command-line tour of the domain packages.
cli-demo: install
	$(BIN)/spasmcare demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

# The whole suite again, on a real PostgreSQL server.
test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

bench: install
	$(BIN)/python -m benchmarks

# Rebuild the committed food table from the USDA SR28 ASCII files (and its search index).
foods-data: install
	$(BIN)/spasmcare foods build --sr28 $(SR28)

# Rebuild only the committed search index beside the food table: after a change to
# src/spasmcare/foods/search.py or to the specialty products (a test fails until it is done).
foods-index: install
	$(BIN)/spasmcare foods index

# After changing a family page's words: update the catalogues (src/spasmcare/web/locale), fill
# in every new msgstr (no fuzzy entry), then compile them; the .mo files are committed (a fresh
# clone runs without gettext), and tests/web/family/test_languages.py checks they match the .po.
# Needs gettext (make system-deps).
messages: install
	cd src/spasmcare/web && SPASMCARE_SECRET_KEY=messages ../../../$(BIN)/django-admin makemessages \
		--settings spasmcare.web.settings -l es -l ar --no-obsolete --add-location file
	cd src/spasmcare/web && SPASMCARE_SECRET_KEY=messages ../../../$(BIN)/django-admin makemessages \
		--settings spasmcare.web.settings -d djangojs -l es -l ar --no-obsolete \
		--add-location file --ignore service_worker.js
	cd src/spasmcare/web && for po in locale/*/LC_MESSAGES/django*.po; do \
		msgfmt --check -o $${po%.po}.mo $$po; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
