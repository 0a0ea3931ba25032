# Two commands on a fresh machine: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=true

.PHONY: run test lint check install assets migrate demo bench bench-load clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo

run: demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest -n 2 --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

# Load test, then fault test, on the benchmark country `make bench` builds (docs/performance.md).
# Both run; the target fails if either did.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safer_districts_bench
bench-load: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(DEV_ENV) $(PY) manage.py loadtest; load=$$?; \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(DEV_ENV) $(PY) manage.py loadtest --fault && exit $$load

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
