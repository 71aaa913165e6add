# The two commands of the README: `make run` serves the demo, `make test` runs the whole suite.
# Both create .venv from the locked requirements on first use; nothing else is needed but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench loadtest clean

$(STAMP): requirements-dev.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/permitpath serve --dev

# The suite runs in two processes (pytest-xdist), each with its own SQLite file and PostgreSQL database.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m loadtests.bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache permitpath.db
