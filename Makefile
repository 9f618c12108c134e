# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_DIR := tools/cypher-lint
LINT_STAMP := $(LINT_DIR)/node_modules/.installed
VIEW_DIR := tools/graph-view
VIEW_STAMP := $(VIEW_DIR)/node_modules/.installed

.PHONY: run test check lint format bench bench-scale clean train neo4j neo4j-stop

# Test processes (pytest-xdist), each with its own stores and Prefect API; a test module
# stays on one, so its module fixtures are built once. WORKERS=0 runs in one process.
WORKERS ?= 2
PYTEST_WORKERS := -n $(WORKERS) --dist loadfile

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# vis-network, inlined into the pages `kg view` writes.
$(VIEW_STAMP): $(VIEW_DIR)/package.json $(VIEW_DIR)/package-lock.json
	cd $(VIEW_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests use: headless Chromium looks at the `kg view` page, and
# docker-compose validates docker-compose.yml (`config` needs no Docker engine).
.PHONY: debian-tools
debian-tools:
	@command -v chromium >/dev/null && command -v docker-compose >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium docker-compose >/dev/null; }

# A local Neo4j 5 from Maven Central (Neo4j's test harness, pinned in
# tools/neo4j-local/pom.xml): Bolt on 127.0.0.1:7687, Browser on http://127.0.0.1:7474/browser/,
# data in .kg/neo4j. It prints the NEO4J_URI to export; `make neo4j-stop` stops it.
neo4j: $(STAMP)
	@test -n "$$NEO4J_PASSWORD" || { echo "set NEO4J_PASSWORD (8 characters or more) first" >&2; exit 2; }
	$(BIN)/python tools/neo4j_local.py start

neo4j-stop: $(STAMP)
	$(BIN)/python tools/neo4j_local.py stop

run: $(STAMP) $(VIEW_STAMP)
	$(BIN)/kg ingest seeds/ --examples

test: $(STAMP) $(LINT_STAMP) $(VIEW_STAMP) debian-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_WORKERS)

# The fast lane for the edit-test loop: ruff and the tests that need no server. The
# compose-file tests need Debian's docker-compose, so a fresh machine installs it here too.
check: $(STAMP) $(LINT_STAMP) debian-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q -m "not system" $(PYTEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# End to end on the full BBC corpus (about 30 minutes on 2 cores), every part of bench/
# in one run (bench_all.py): three first ingests, each between two bare nlp.pipe runs
# (the median ratio counts), and an unchanged ingest (bench_ingest.py), store write rate
# (bench_store.py), peak memory at 1x and 4x (bench_memory.py), 1 vs 2 processes
# (bench_scaling.py); each can run alone.
# `bench/bench_extract.py` compares the extraction stage alone with nlp.pipe.
# bench_neo4j.py: the load stage's write rate into a local Neo4j against raw MERGE (with
# and without the driver's Rust codec), and a full-corpus ingest into Neo4j against the
# embedded store (bench/results_neo4j.json).
bench: $(STAMP)
	$(BIN)/python bench/bench_all.py --scaling
	$(BIN)/python bench/bench_neo4j.py

# The embedded store at 10x the BBC corpus (22,250 articles, about 30 minutes): throughput
# and memory per slice, disk size, reopen after stop and kill -9, no-op re-ingest, and
# the latency of every saved question (bench/results_scale.json).
bench-scale: $(STAMP)
	$(BIN)/python bench/bench_scale.py

# Rebuild the shipped models (models/) from ../shared/data, reproducibly: the same data
# and code give the same files. `make run` and `make test` use them as shipped.
train: $(STAMP)
	$(BIN)/python -m flows.training
	$(BIN)/python tools/readme_sample.py  # new models print a new sample

clean:
	rm -rf $(VENV) .kg $(LINT_DIR)/node_modules $(VIEW_DIR)/node_modules tools/neo4j-local/target
