# One task runner for people and CI. `make serve` and `make test` are the README's quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-dev serve build check status test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

serve: install  ## build the handbook from data/ and serve it on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

build: install  ## build the site into site/ (fails on any data error; a failed build leaves site/ untouched)
	$(BIN)/python -m macros check
	rm -rf .site-build
	$(BIN)/mkdocs build --strict -d .site-build
	rm -rf site && mv .site-build site

check: install  ## refuse template code in docs/ pages, validate data/
	$(BIN)/python -m macros check

status: install
	$(BIN)/python -m macros status

test: install-dev  ## run the whole test suite
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check macros tests benchmarks

bench: install
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf site .site-build .pytest_cache
