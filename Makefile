# `make demo` and `make test` work on a fresh machine: they install what they need.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit deps groovy clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)

groovy:
	@scripts/ensure-groovy.sh

lint: deps
	$(BIN)/ruff check jobgen mocks tests bench scripts
	$(BIN)/ruff format --check jobgen mocks tests bench scripts

typecheck: deps
	$(BIN)/mypy

unit: deps groovy
	$(BIN)/pytest -q

test: lint typecheck unit

demo: deps groovy
	$(BIN)/python scripts/demo.py

clean:
	rm -rf $(VENV) build .jobgen
