# The two commands of the quick start: `make run` and `make test`. Both work on a fresh machine.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
PYTEST_ARGS ?=

.PHONY: install run test test-fast lint bench-load clean

install:
	@scripts/ensure_tools.sh
	uv sync --frozen

run: install
	@scripts/run.sh

# Everything: throwaway PostgreSQL and Redis, the whole suite including browser tests.
test:
	@scripts/ensure_tools.sh --test
	uv sync --frozen
	scripts/with_test_services.sh uv run --frozen pytest $(PYTEST_ARGS)

lint:
	uv run --frozen ruff check .

clean:
	rm -rf .data
