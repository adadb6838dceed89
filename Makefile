# The project's commands. `make run` opens the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: venv run test lint bench fuzz clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

# Listens on localhost (.streamlit/config.toml); `make run ADDRESS=0.0.0.0` serves on every network interface.
# No install step: `python -m` puts the repository on the import path (`pip install -e .` also gives hid-dashboard).
run: $(STAMP)
	$(BIN)/python -m dashboard.serve $(if $(ADDRESS),--server.address $(ADDRESS))

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/extract_bench.py

# The fuzzing properties with fresh random examples for MINUTES (10 by default).
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py --minutes $(or $(MINUTES),10)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
