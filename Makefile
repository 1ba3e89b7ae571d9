# The two commands: `make run` (the site with demo content) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults; production sets DJANGO_DEBUG=0 and the variables listed in README.md.
export DJANGO_DEBUG ?= 1
# `make run PORT=8001` serves elsewhere; the addresses printed (and feed links) follow it.
PORT ?= 8000
RUN_SITE_URL = $(or $(SITE_URL),http://127.0.0.1:$(PORT))

.PHONY: run test venv lint vnu migrate demo serve worker collectstatic static-check bench scale lighthouse chaos

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py loaddemo
	SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py ensureadmin

run: demo
	@echo "nicepick: $(RUN_SITE_URL)/ (admin: $(RUN_SITE_URL)/admin/)"
	SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The Nu HTML checker for tests/test_html_validity.py (skipped there when absent).
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
	  npm install --silent --no-audit --no-fund --prefix .cache/vnu vnu-jar@$(VNU_VERSION); \
	else echo "npm not found: the HTML validity test will be skipped"; fi

test: lint vnu
	$(BIN)/pytest $(PYTEST_ARGS)

collectstatic: venv
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# Production serving: set DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL...
# gunicorn and the mail worker together (nicepick/serve.sh); stopping one stops both.
serve: collectstatic
	$(BIN)/python manage.py migrate --noinput
	nicepick/serve.sh

# The mail worker alone (e.g. on a machine of its own): sends queued notifications, retrying.
# Needs the database task backend (the production default; NICEPICK_TASKS_BACKEND=database).
worker: migrate
	$(BIN)/python manage.py db_worker --no-reload

# With production settings, collect and hash every static file: a missing asset fails here.
static-check: venv
	rm -rf .static-check
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=static-check-$$(date +%s%N)-not-a-real-secret-but-long-enough \
	DJANGO_ALLOWED_HOSTS=localhost DJANGO_STATIC_ROOT=.static-check \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	rm -rf .static-check

# The load benchmark (bench/README.md): data set, gunicorn with production settings, wrk.
bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Every public and admin page at 2,000, 10,000 and 100,000 comparisons on PostgreSQL, one
# connection, uncached: p50/p95 (bench/scale.py; the 100,000 corpus takes ~15 min to build once).
scale: venv
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

# Lighthouse (npm) on Debian's Chromium: accessibility, best practices and SEO of the home page,
# an article, a tag and a tool, on a throw-away copy of the site with demo content
# (tests/lighthouse/run.py). Not part of `make test`: it takes a minute or two.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := .cache/lighthouse/node_modules/lighthouse/cli/index.js
$(LIGHTHOUSE):
	npm install --silent --no-audit --no-fund --prefix .cache/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)
lighthouse: venv $(LIGHTHOUSE)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python tests/lighthouse/run.py

# Fault injection (bench/chaos.py): the site as `make serve` runs it, on a throw-away PostgreSQL
# database, with Redis, PostgreSQL and the mail server behind proxies this run controls; prints
# what readers and editors saw per fault. Loopback only, two to three minutes; not in `make test`.
chaos: venv
	$(BIN)/python bench/chaos.py $(CHAOS_ARGS)
