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

# The checks of .pre-commit-config.yaml, in modes that never rewrite a file.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	find . -name '*.py' -not -path './.venv/*' -not -path './var/*' -print0 \
		| xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2 --check
	$(VENV)/bin/djhtml --tabwidth 2 --check templates

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# French only: the msgids are the English text, and Django never gives English the default
# language's catalogue as a fallback (tests/accounts/test_i18n.py checks it).
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

bench: $(VENV)/.dev
	for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

screenshots: $(VENV)/.dev
	RELAIS_SCREENSHOTS=1 $(PY) -m pytest tests/e2e
