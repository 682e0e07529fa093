# The README's two commands are `make run` and `make test`; everything else is a convenience.
# Every target sets the machine up first (scripts/bootstrap.sh is quick when nothing changed).
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test setup train lint bench

run: ## set up, train if needed, start the assistant and its chat page (Ctrl-C stops)
	@scripts/bootstrap.sh
	@.venv/bin/bot run

test: ## set up (with the test tools and Debian's chromium), lint, then run every test
	@scripts/bootstrap.sh --dev --browser
	@.venv/bin/ruff check .
	@.venv/bin/python -m pytest $(PYTEST_ARGS)

setup:
	@scripts/bootstrap.sh

train: setup
	@.venv/bin/bot train

lint:
	@scripts/bootstrap.sh --dev
	@.venv/bin/ruff check .

bench: setup ## speed and memory: ours vs stock Rasa, the trial store, N = 1 vs N = 2 instances
	@.venv/bin/python -m bench.assistant $(BENCH_ARGS)
	@.venv/bin/python -m bench.trials
	@.venv/bin/python -m bench.trials_sync
	@.venv/bin/python -m bench.language
	@.venv/bin/python -m bench.stack
	@.venv/bin/python -m bench.matching
