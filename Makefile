# Two entry points for people: `make run` and `make test`. Both build .venv from pyproject.toml
# with the newest python3.1x (>= 3.11) on PATH; `make PYTHON=/path/to/python3.x` overrides.
PYTHON ?= $(shell .ci/pythons --path-only | head -n 1)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check compat diagram clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no Python 3.11 or newer found (python3.11, python3.12 ... on PATH). Install one, e.g. 'apt install python3.11' or 'apt install python3.13', or run: make PYTHON=/path/to/python3.x" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python bot.py

# The compatibility runs (.ci/compat) go on beside the main suite, whose slowest tests
# mostly wait (a campaign paced at the platform's cap, workers, browsers): CI stays under
# 15 minutes on two cores. Their output follows the main suite's; either failing fails.
test: check
	@.ci/compat $(BIN)/uv $(BIN)/python > .compat.log 2>&1 & compat=$$!; \
	$(BIN)/python -m pytest; main=$$?; \
	echo "== waiting for .ci/compat (started beside the main suite)"; \
	wait $$compat; status=$$?; cat .compat.log; \
	test $$main -eq 0 && test $$status -eq 0

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

compat: $(STAMP)
	.ci/compat $(BIN)/uv $(BIN)/python

diagram: $(STAMP)
	$(BIN)/python -m handlers.diagram > docs/flow.md

clean:
	rm -rf $(VENV) .venv-lowest .venv-newest .mypy_cache .pytest_cache .ruff_cache
