# Two commands for a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: run test install install-dev chromium poppler lint format demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

## run: create the environment, load the demo cluster into an empty database, serve the app
run: install
	$(PY) -m clusterkpi demo --if-empty
	$(PY) -m streamlit run app.py --server.port=$(PORT) --server.address=localhost

## test: install what the tests need (Debian's chromium and poppler included), lint,
## type-check (mypy strict) and run them all
test: install-dev chromium poppler
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -q

# Browser tests drive Debian's chromium; never a browser download.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The board-pack tests read the PDF back with pdftotext, pdffonts and pdftoppm.
poppler:
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "Installing Debian's poppler-utils for the PDF tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

demo: install
	$(PY) -m clusterkpi demo --if-empty

bench: install-dev
	$(PY) -m bench.scorecard
	$(PY) -m bench.imports
	$(PY) -m bench.pages
	$(PY) -m bench.board_pack
	$(PY) -m bench.time_to_content

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
