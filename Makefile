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

# The benchmark (docs/performance.md): the demo on PostgreSQL gives each page's query count on small
# data; a synthetic country (50 districts, 1,000,000 activity logs by default; BENCH_ARGS="--logs 100000"
# for a smaller one) gives the times, and its query counts are compared with the demo's.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safer_districts_bench
BENCH_DEMO_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safer_districts_bench_demo
BENCH_ARGS ?=
BENCH_ENV := SECRET_KEY=bench-only-key-not-for-production-0123456789abcdefghij ALLOWED_HOSTS=testserver,127.0.0.1 SECURE_SSL_REDIRECT=false
bench: install
	$(PY) bench/createdb.py $(BENCH_DEMO_DATABASE_URL) $(BENCH_DATABASE_URL)
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=$(BENCH_DEMO_DATABASE_URL) $(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DEMO_DATABASE_URL) $(BENCH_ENV) $(PY) manage.py load_demo
	DATABASE_URL=$(BENCH_DEMO_DATABASE_URL) $(BENCH_ENV) $(PY) manage.py bench --no-build --runs 5 --json bench/results/demo.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS) --compare bench/results/demo.json --json bench/results/bench.json

# Load test, then fault test, on the benchmark country `make bench` builds (docs/performance.md).
# Both run; the target fails if either did.
bench-load: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(DEV_ENV) $(PY) manage.py loadtest; load=$$?; \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(DEV_ENV) $(PY) manage.py loadtest --fault && exit $$load

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
