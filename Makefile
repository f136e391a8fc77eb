# One task runner for people and CI. `make serve` and `make test` are the README's quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-dev serve build build-public preview check status test lint bench clean pdf pdf-public

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-pdf.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime $(VENV)/.pdf

# Printing the briefing book needs Playwright and pypdf (and Debian's Chromium: apt-get install chromium).
$(VENV)/.pdf: requirements.txt requirements-pdf.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-pdf.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

serve: install  ## build the handbook from data/ and serve it on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

# Every language of the organization (organization.yml: language, languages): its own at site/, each other one at
# site/<code>/. `make build LANG=fr` builds French alone (only LANG given on the command line counts: the LANG of
# the environment is the terminal's locale).
HB_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),)
LANG_OPT := $(if $(HB_LANG),--lang $(HB_LANG),)

build: install  ## build the site into site/ (fails on any data error; a failed build leaves site/ untouched)
	$(BIN)/python -m macros check
	$(BIN)/python -m macros.multilingual build --out site $(LANG_OPT)

# The public edition: only the records marked public (README, "Two editions"). Built beside the intranet one.
build-public: install  ## build the public edition into site-public/ (HANDBOOK_EDITION=public)
	HANDBOOK_EDITION=public $(BIN)/python -m macros check
	HANDBOOK_EDITION=public $(BIN)/python -m macros.multilingual build --out site-public $(LANG_OPT)

# The site as CI builds it, served as a static site: what the pull request's `site-preview` artifact holds.
PREVIEW_PORT ?= 8000
preview: build  ## build the site as CI does and serve it on http://127.0.0.1:8000
	@echo "Serving site/ on http://127.0.0.1:$(PREVIEW_PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory site $(PREVIEW_PORT)

# The briefing book as a PDF, printed from the built site offline: site/handbook.pdf (site-public/handbook.pdf for
# the public edition). `make pdf UNIT="Public Works"` (a unit's name or slug) prints one unit's book instead,
# site/handbook-<slug>.pdf: the summary-only book and a book per unit keep a large organization's files small.
UNIT ?=
# The book of each other language of the organization that is built (site/fr/handbook.pdf...).
define other_languages_pdf
	$(BIN)/python -m macros.multilingual list | while read -r _code folder; do \
	  if [ "$$folder" != . ] && [ -d "$(1)/$$folder" ]; then \
	    $(2)$(BIN)/python -m macros.pdf --site "$(1)/$$folder" $(if $(UNIT),--unit "$(UNIT)") || exit 1; fi; done
endef
pdf: build $(VENV)/.pdf  ## print the briefing book of site/ to site/handbook.pdf (UNIT=... for one unit's book)
	$(BIN)/python -m macros.pdf --site site $(if $(UNIT),--unit "$(UNIT)")
	$(call other_languages_pdf,site)

pdf-public: build-public $(VENV)/.pdf  ## print the public edition's briefing book to site-public/handbook.pdf
	HANDBOOK_EDITION=public $(BIN)/python -m macros.pdf --site site-public $(if $(UNIT),--unit "$(UNIT)")
	$(call other_languages_pdf,site-public,HANDBOOK_EDITION=public )

check: install  ## refuse template code in docs/ pages, validate data/
	$(BIN)/python -m macros check

status: install
	$(BIN)/python -m macros status

# One worker per CPU (pytest-xdist); each test file runs on one worker, so a file's module fixtures (its built
# sites) are built once. `make test PYTEST_ARGS=-x` passes options through.
test: install-dev  ## run the whole test suite, in parallel
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check macros tests benchmarks scripts

bench: install
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf site .site-build site-public .site-public-build .pytest_cache
