# `make demo` and `make test` work on a fresh machine: they install what they need.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit deps tools clean

# pip's own lines (Collecting ..., Installing ...) are the progress: a fresh install takes a minute.
$(STAMP): pyproject.toml
	@echo "== making $(VENV): jobgen (editable) and its dev tools, about a minute on a fresh machine"
	python3 -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -q --upgrade pip
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -e '.[dev]'
	touch $(STAMP)

# Bytecode for jobgen's own modules, as `pip install` of the wheel compiles it: a command
# otherwise compiles them from source each time it starts when PYTHONDONTWRITEBYTECODE is set
# (this machine sets it), a tenth of a second of every `jobgen` run. Up to date, it is a no-op.
deps: $(STAMP)
	@$(BIN)/python -m compileall -q jobgen

tools:
	@echo "== checking Debian's groovy and graphviz (installed when missing)"
	@scripts/ensure-tools.sh

lint: deps
	$(BIN)/ruff check jobgen tests bench scripts
	$(BIN)/ruff format --check jobgen tests bench scripts

typecheck: deps
	$(BIN)/mypy

# Two workers (pytest-xdist), CI's two cores; tests/conftest.py starts the slow tests first
# and keeps each group (loadgroup) on one worker. `make unit WORKERS=0` runs in one process.
# --max-worker-restart=0: a worker that crashes fails the run; with restarts, xdist's loadgroup
# scheduler waited forever for the crashed worker's tests (tried: a test calling os._exit).
WORKERS ?= 2
unit: deps tools
	$(BIN)/pytest -q -n $(WORKERS) --dist loadgroup --max-worker-restart=0

test: lint typecheck unit

demo: deps tools
	$(BIN)/python scripts/demo.py

clean:
	rm -rf $(VENV) build .jobgen
