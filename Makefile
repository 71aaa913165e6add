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

# The browser test (tests/browser) drives Debian's chromium; as root on a machine with apt-get, `make test`
# installs it when missing (Playwright never downloads a browser). Elsewhere, without chromium, it skips.
CHROMIUM := /usr/bin/chromium
APT_GET := $(shell command -v apt-get 2>/dev/null)
ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: chromium screenshots
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ -n "$(APT_GET)" ] && [ -n "$(ROOT)" ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; fi

# The README's screenshots of the page (docs/screenshots/), taken from a fresh `permitpath serve --dev`.
screenshots: $(STAMP) chromium
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

# The suite runs in two processes (pytest-xdist), each with its own SQLite file and PostgreSQL database.
test: $(STAMP) $(if $(NPM),$(NODE_STAMP)) chromium
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
