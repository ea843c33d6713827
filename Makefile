# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ASSETS := static/govuk/app.css
RUN_ENV := DJANGO_SETTINGS_MODULE=dhr.settings.local

.PHONY: run test check fuzz install install-dev assets release lint format bench clean

run: install assets
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs on both cores (pytest-xdist), each worker with its own test database, Redis
# number and media folder (dhr/settings/test.py). Two workers, as the machines have two cores: a
# test's live server, browser and database need them too, so more workers only contend (set
# TEST_WORKERS on a bigger machine, up to 13). Tests are handed out one at a time: the
# accessibility gate's tests take minutes each, and a worker handed several in one chunk would
# finish long after the other. Here the test databases are kept from one run to the next
# (--reuse-db, which applies new migrations; `pytest -n 2 --create-db` builds them afresh); CI's
# clone is new, and builds them anyway.
# The tests that start a real Celery worker (marked `worker`) run with the rest: a worker takes
# only what its own test worker's Redis number holds under its own run's prefix, so even two
# suites at once on one machine (with different databases) leave each other's tasks alone.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist load --maxschedchunk 1
REUSE_DB := $(if $(CI),,--reuse-db)

test: install-dev assets
	scripts/ensure-system.sh test
	scripts/ensure-services.sh
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(REUSE_DB) --durations=10

# The quick lane, before a commit: the same linters (make lint), and every test but the browser
# and slow ones.
check: install-dev assets
	scripts/ensure-system.sh test
	scripts/ensure-services.sh
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) --reuse-db -m "not browser and not slow"

# Property-based tests with random seeds for FUZZ_MINUTES (10): see scripts/fuzz.sh.
FUZZ_MINUTES ?= 10

fuzz: install-dev assets
	scripts/ensure-system.sh test
	scripts/ensure-services.sh
	FUZZ_MINUTES=$(FUZZ_MINUTES) scripts/fuzz.sh

# What the service runs (requirements.txt): all a server needs, with a release archive's assets.
install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	scripts/ensure-system.sh server
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

# And the tests and tools (requirements-dev.txt).
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

assets: $(ASSETS)

node_modules/.package-lock.json: package.json package-lock.json
	scripts/ensure-system.sh assets
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend compiled with our font stack (no GDS Transport, no crown), plus its JS and images.
$(ASSETS): node_modules/.package-lock.json $(wildcard assets/scss/*.scss)
	mkdir -p static/govuk/assets
	npx --no-install sass --pkg-importer=node --no-source-map --style=compressed --quiet-deps \
		assets/scss/app.scss $(ASSETS)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images static/govuk/assets/
	rm -f static/govuk/assets/images/govuk-crest.svg static/govuk/assets/images/govuk-icon-*
	# The compiled CSS still names the crest (for a header we do not use): an empty image in its
	# place keeps collectstatic's manifest whole, and shows nothing.
	printf '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n' \
		> static/govuk/assets/images/govuk-crest.svg

# A release archive for servers: the code at HEAD with the compiled GOV.UK assets, so that a
# server needs no Node.js (see docs/deploy.md). Writes dist/dhr-<version>.tar.gz.
release: assets
	scripts/release.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --check

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (see bench/README.md): each is bench/<name>.py, run in turn. `make bench
# BENCHES=bundle BENCH_ARGS="--runs 5"` picks which and passes options. pages needs PostgreSQL,
# Redis and wrk (installed and started here); the others use SQLite.
BENCHES ?= bundle tracker chronology pages
BENCH_ARGS ?=

bench: install assets
	scripts/ensure-system.sh bench
	scripts/ensure-services.sh
	for name in $(BENCHES); do \
		$(RUN_ENV) $(BIN)/python bench/$$name.py $(BENCH_ARGS) || exit 1; \
	done
	$(BIN)/python bench/summary.py

clean:
	rm -rf $(VENV) node_modules static/govuk db.sqlite3 media
