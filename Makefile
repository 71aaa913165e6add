# The two commands of the README: `make run` serves the demo, `make test` runs the whole suite.
# Both create .venv from the locked requirements on first use; nothing else is needed but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The TypeScript codegen check (tests/test_codegen.py) needs tests/codegen's npm packages. They are installed
# when npm is on the machine, again only when the lock file is newer than the last install; without npm the
# check skips.
CODEGEN := tests/codegen
NODE_STAMP := $(CODEGEN)/node_modules/.installed
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: run test lint bench bench-alternatives loadtest clean

$(STAMP): requirements-dev.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

# npm ci empties node_modules first, so a failed install leaves no stamp and the next run tries again.
$(NODE_STAMP): $(CODEGEN)/package-lock.json $(CODEGEN)/package.json
	npm ci --prefix $(CODEGEN) --no-audit --no-fund
	touch $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/permitpath serve --dev

# The suite runs in two processes (pytest-xdist), each with its own SQLite file and PostgreSQL database.
test: $(STAMP) $(if $(NPM),$(NODE_STAMP))
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m loadtests.bench

bench-alternatives: $(STAMP)
	$(BIN)/python -m loadtests.bench_alternatives

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache permitpath.db $(CODEGEN)/node_modules $(CODEGEN)/generated
