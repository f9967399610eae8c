# `make demo` and `make test` work on a fresh machine: they install what they need.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit deps tools clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)

tools:
	@scripts/ensure-tools.sh

lint: deps
	$(BIN)/ruff check jobgen tests bench scripts
	$(BIN)/ruff format --check jobgen tests bench scripts

typecheck: deps
	$(BIN)/mypy

unit: deps tools
	$(BIN)/pytest -q

test: lint typecheck unit

demo: deps tools
	$(BIN)/python scripts/demo.py

clean:
	rm -rf $(VENV) build .jobgen
