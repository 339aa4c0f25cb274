# The command surface of Relais. `make run` and `make test` work from a fresh clone with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-fast lint fmt ci bench messages screenshots

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m config.run

test: $(VENV)/.dev
	$(PY) -m pytest

# The inner loop: everything but the browser tests and the real RQ worker (markers in pyproject.toml).
test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not e2e and not worker"

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

bench: $(VENV)/.dev
	for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

screenshots: $(VENV)/.dev
	RELAIS_SCREENSHOTS=1 $(PY) -m pytest tests/e2e
