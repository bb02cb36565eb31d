# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint format bench lighthouse loadtest loadtest-ci loadtest-two-servers stack clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

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
	$(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy triage content publishing

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

## bench: requests/s, p50, p99 of pages against a static file (docs/performance.md)
bench: $(STAMP)
	$(BIN)/python -m bench.run --seed 5000 $(BENCH_ARGS)

## lighthouse: mobile Lighthouse scores of home, a condition page and the checker
lighthouse: $(STAMP)
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache test-artifacts
