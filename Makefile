# keyvigil: `make demo` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo test bench lint reformat clean postgres

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "keyvigil needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/keyvigil demo --out $(DEMO_OUT)

postgres:
	@bash scripts/ensure-postgres.sh

test: $(STAMP) postgres
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff format --check toolkit tests bench
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/mypy

reformat: $(STAMP)
	$(BIN)/ruff format toolkit tests bench
	$(BIN)/ruff check --fix toolkit tests bench

clean:
	rm -rf $(VENV) build dist $(DEMO_OUT) .pytest_cache .ruff_cache
