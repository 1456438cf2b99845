# The README's commands. Everything runs inside .venv, which the first target builds.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: help run test lint format bench bench-small loadtest clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# --no-compile: Python compiles what is imported when it is first imported, instead of pip
# compiling every file of every package up front.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -e '.[test]'
	touch $(STAMP)

# With REDIS_URL set, jobs (emails) wait in Redis for a worker: one runs beside the server and
# stops with it. Without it they run in the server's own process.
run: $(STAMP) ## Set up, migrate, load the demo when empty, build the market figures when missing, serve on http://127.0.0.1:$(PORT) (and a job worker when REDIS_URL is set)
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) market rebuild --if-empty
	@if [ -n "$$REDIS_URL" ]; then \
	  $(FLASK) worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	fi; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on WORKERS pytest-xdist workers (one per core by default). --dist loadfile gives
# each test file to one worker, so a module-scoped fixture (the bench harness's run) runs once.
# When the PostgreSQL pass follows, the SQLite pass leaves the bench harness to it: that pass
# measures both engines.
WORKERS ?= auto
PYTEST  := $(BIN)/pytest -n $(WORKERS) --dist loadfile

test: $(STAMP) lint ## Set up and run the whole suite: ruff, pytest on SQLite, then on PostgreSQL if TEST_DATABASE_URL is set
	env -u TEST_DATABASE_URL $(PYTEST) $${TEST_DATABASE_URL:+--ignore=tests/bench}
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL), browser tests excluded =="; \
	  $(PYTEST) -m "not browser"; \
	fi

lint: $(STAMP) ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Generate the synthetic market (100k buildings) and measure it on SQLite and PostgreSQL into bench/results.json
	$(BIN)/python -m bench.run

bench-small: $(STAMP) ## The same benchmark at a hundredth of the size, for a quick look
	BENCH_SCALE=small $(BIN)/python -m bench.run

loadtest: $(STAMP) ## 60 s of mixed traffic against production gunicorn on SQLite and PostgreSQL: requests, errors, latency
	$(BIN)/python -m bench.loadtest

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
