# Esi Pro — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m esipro.launcher

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) bench/tenant_creation.py --count 50
	$(PY) bench/tenant_routing.py --requests 6000
	$(PY) bench/referential_import.py --repeat 2
	$(PY) bench/mapping_quality.py
	$(PY) bench/import_engine.py
	$(PY) bench/staff_import.py
	$(PY) bench/import_floor.py
	$(PY) bench/matrix_pages.py
	$(PY) bench/booklet.py

clean:
	rm -rf $(VENV) .data .pytest_cache
