# spasmcare: the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SR28   ?= ../shared/data/usda-sr28

.PHONY: install demo test lint bench foods-data clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/spasmcare demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m benchmarks

# Rebuild the committed food table from the USDA SR28 ASCII files.
foods-data: install
	$(BIN)/spasmcare foods build --sr28 $(SR28)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
