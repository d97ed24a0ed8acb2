# apibench: `make demo` and `make test` work on a fresh machine with Python 3.11+ and make.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= runs/demo
# One stamp per installed extra set: `make demo` installs the package alone, `make test` (and
# check) the test extra on top. $(VENV)/.installed-test means base + test are in.
BASE := $(VENV)/.installed-base
TESTING := $(VENV)/.installed-test
# The openenv extra cannot share the test venv (it pins mcp<2, the MCP server's SDK is 2.x).
OPENENV_VENV ?= .venv-openenv
# Nor can the verifiers extra (verifiers 0.4 pins mcp==2.0.0, below the MCP server's SDK).
VERIFIERS_VENV ?= .venv-verifiers

.DEFAULT_GOAL := help
.PHONY: help demo test test-openenv test-verifiers framework-venvs check bench conformance serve sandbox clean

help: ## List the targets
	@echo "apibench make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 18

$(VENV)/.installed-%: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "apibench needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)." >&2; \
		echo "Run with PYTHON=/path/to/python3.11 (or newer), e.g. make demo PYTHON=python3.12" >&2; \
		exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.$(if $(filter-out base,$*),[$*])'
	@touch $@ $(BASE)

demo: $(BASE) ## Evaluate the baseline agents on every scenario (seeds 0-4) and print the leaderboard
	$(BIN)/apibench eval --agent oracle,noop,random --scenarios all --seeds 0-4 --no-trace --out $(DEMO_OUT)
	@echo "Full report: $(DEMO_OUT)/report.md"
	@echo "Next: '. $(BIN)/activate' puts apibench on PATH (or run $(BIN)/apibench)."

# The two framework venvs install (mostly waiting on downloads) while the main suite runs;
# their log is shown after it, and a failed install fails the target.
test: $(TESTING) sandbox ## Run the whole test suite (in parallel)
	@$(MAKE) --no-print-directory framework-venvs > $(VENV)/framework-venvs.log 2>&1 & venvs=$$!; \
	APIBENCH_REQUIRE_SANDBOX=$$(command -v bwrap >/dev/null 2>&1 && echo 1 || echo 0) \
		$(BIN)/pytest -n auto --dist loadgroup tests; status=$$?; \
	wait $$venvs; installed=$$?; cat $(VENV)/framework-venvs.log; \
	test $$installed -eq 0 || { echo "installing the framework venvs failed" >&2; exit 1; }; \
	exit $$status
	$(MAKE) test-openenv
	$(MAKE) test-verifiers

framework-venvs: $(OPENENV_VENV)/.installed $(VERIFIERS_VENV)/.installed

$(OPENENV_VENV)/.installed: pyproject.toml
	@test -x $(OPENENV_VENV)/bin/python || $(PYTHON) -m venv $(OPENENV_VENV)
	$(OPENENV_VENV)/bin/python -m pip install --quiet -e '.[openenv]' 'pytest>=8'
	@touch $@

test-openenv: $(OPENENV_VENV)/.installed ## The OpenEnv environment's tests, in a venv of their own
	$(OPENENV_VENV)/bin/pytest tests/integrations/test_openenv.py

# uv runs verifiers' chat harness (a PEP 723 script) in the tests, as on a verifiers user's machine.
$(VERIFIERS_VENV)/.installed: pyproject.toml
	@test -x $(VERIFIERS_VENV)/bin/python || $(PYTHON) -m venv $(VERIFIERS_VENV)
	$(VERIFIERS_VENV)/bin/python -m pip install --quiet -e '.[verifiers]' 'pytest>=8' uv
	@touch $@

test-verifiers: $(VERIFIERS_VENV)/.installed ## The verifiers environment's tests (vf-eval), in a venv of their own
	$(VERIFIERS_VENV)/bin/pytest tests/integrations/test_verifiers.py

# The code agent runs model-written programs in a bubblewrap sandbox. Where bwrap is installed,
# `make test` requires the sandbox to work (its tests fail rather than skip).
sandbox: ## Install bubblewrap, the code agent's sandbox (apt-get, as root; otherwise says how)
	@command -v bwrap >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing bubblewrap (the code agent's program sandbox) with apt-get"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q bubblewrap >/dev/null 2>&1 || \
				{ apt-get update -q >/dev/null && apt-get install -y -q bubblewrap >/dev/null; }; \
		else \
			echo "note: bubblewrap (bwrap) is not installed, so the sandbox tests skip and the" \
				"code agent refuses to run; install it (apt-get install bubblewrap," \
				"dnf install bubblewrap, pacman -S bubblewrap)." >&2; \
		fi; }

check: $(TESTING) ## Lint, format check, type check, then the tests (what CI runs)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(MAKE) test

bench: $(BASE) ## Performance benchmarks, as ratios against the in-run floor
	$(BIN)/python benchmarks/run.py

conformance: $(TESTING) ## Per service: responses validated against the vendor's API description, and how many are valid
	$(BIN)/python -m tests.conformance

serve: $(BASE) ## Example: serve the first attio scenario (seed 0) on a free loopback port
	$(BIN)/apibench serve --scenario $$($(BIN)/apibench list --json | $(BIN)/python -c \
		'import json, sys; print([s["id"] for s in json.load(sys.stdin) if s["family"] == "attio"][0])') \
		--seed 0 --info-file runs/agent.json --control-file runs/control.json

clean: ## Remove caches, build outputs and runs/ (keeps the virtual environment)
	rm -rf runs build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
