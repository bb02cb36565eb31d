# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The venv is exactly requirements.lock (every dependency, indirect ones too, with hashes).
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
# The locks hash only the public index's files, never a machine's own wheel folders or extra
# indexes (pip config, PIP_* variables), so they install the same anywhere.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras

.PHONY: venv lock run test lint format bench lighthouse loadtest loadtest-ci loadtest-two-servers stack clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

## lock: after editing requirements*.txt, recompile requirements.lock (make, CI) and requirements-runtime.lock (production)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install -q --disable-pip-version-check "$$(grep -i '^pip-tools==' requirements-dev.txt)"
	@# pip-compile keeps the versions already in its output file: nothing is upgraded unless a pin says so.
	$(PIP_COMPILE) --output-file requirements.lock requirements-dev.txt
	@# The runtime lock starts from requirements.lock, so production gets the versions the tests ran on.
	cp requirements.lock requirements-runtime.lock.tmp
	$(PIP_COMPILE) --output-file requirements-runtime.lock.tmp requirements.txt
	mv requirements-runtime.lock.tmp requirements-runtime.lock

## run: set up (venv, database, content, static files, local admin) and serve on :8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py collectstatic --noinput -v0
	@# One local secret key, kept in the venv (never in git): signed answers and logins survive restarts.
	@test -s $(VENV)/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(VENV)/secret_key
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C to stop)"
	DJANGO_SECRET_KEY="$$(cat $(VENV)/secret_key)" $(BIN)/python manage.py runserver 127.0.0.1:8000

## test: the whole suite (browser and PostgreSQL tests skip, with a notice, if unavailable)
test: $(STAMP)
	@# axe-core for the browser tests (package-lock.json); without npm they skip with a notice.
	@if command -v npm >/dev/null && [ ! -d node_modules/axe-core ]; then npm ci --omit=dev --silent --no-audit --no-fund; fi
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy triage content publishing feedback

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## loadtest: 50 users for 60 s of articles, search and checker sessions against gunicorn
loadtest: $(STAMP)
	$(BIN)/python -m loadtest.run --duration 60 --users 50 $(LOAD_ARGS)

## loadtest-ci: the same for 15 s as production runs: nginx (deploy/nginx.conf) in front of two
## servers on PostgreSQL and Redis; fails on any error
loadtest-ci: $(STAMP)
	$(BIN)/python -m loadtest.run --duration 15 --users 50 --proxy --two-servers --redis-url redis://127.0.0.1:6379/9

## loadtest-two-servers: two servers sharing only SECRET_KEY and PostgreSQL, one restarted
loadtest-two-servers: $(STAMP)
	$(BIN)/python -m loadtest.run --duration 60 --users 50 --two-servers --restart

## stack: nginx in front of two app servers on PostgreSQL and Redis, to try by hand (Ctrl+C stops)
stack: $(STAMP)
	$(BIN)/python -m harness.proxy

## bench: requests/s, p50, p99 of pages against a static file; writes docs/performance.md
## from the run's figures (docs/performance.json) and exits non-zero on any MISS
bench: $(STAMP)
	$(BIN)/python -m bench.run --seed 5000 --check --json docs/performance.json $(BENCH_ARGS); \
	status=$$?; \
	test -s docs/performance.json && $(BIN)/python -m bench.report docs/performance.json docs/performance.md; \
	exit $$status

## lighthouse: mobile Lighthouse scores of home, a condition page and the checker
lighthouse: $(STAMP)
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache test-artifacts
