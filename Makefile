# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make lab    create .venv from the student pins, install yalu, open JupyterLab at the start notebook
#   make test   the same setup plus the developer tools, then lint and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV     := $(VENV)/.dev-installed
# axe-core for the browser tests' accessibility checks, pinned in tests/browser/package-lock.json.
AXE     := tests/browser/node_modules/axe-core/axe.min.js
# The hub tests: configurable-http-proxy (tests/hub/package-lock.json) and the students' environment
# (requirements.txt with nbgitpuller, built by tests/hub/make_env.py where every Unix user can read it).
CHP     := tests/hub/node_modules/.bin/configurable-http-proxy
HUB_ENV ?= /var/tmp/yalu-hub-env
export YALU_HUB_ENV := $(HUB_ENV)
PYTEST_ARGS ?=

.PHONY: lab test lint bench hub-env notebooks student-versions student-release site handouts environment.yml clean

# What a student gets: requirements.txt (the same pins Binder installs) and the lab settings.
# jupyter_server_config.json forces the legacy kernel websocket protocol: a jupyter_server race
# can blow the server up to 3.4 GB on a kernel restart (docs/server-websocket.md; upstream:
# jupyter_server issues 705 and 1265, PR 1696; jupyterlab PR 12981). Remove it when a pinned
# jupyter_server fixes the race. It must be the root jupyter_server_config.json: the server
# reads only extension switches from its .d folder.
$(RUNTIME): requirements.txt pyproject.toml jupyter/overrides.json jupyter/jupyter_server_config.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	mkdir -p $(VENV)/etc/jupyter
	cp jupyter/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	touch $(RUNTIME)

# Developer tools on top: tests, browser tests, benchmarks, lint (requirements-dev.txt).
$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV)

lab: $(RUNTIME)
	$(BIN)/python -m yalu.serve

lint: $(DEV)
	$(BIN)/ruff check .

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm not found: the browser tests' accessibility checks will be skipped (and fail under CI=true)"; fi

$(CHP): tests/hub/package.json tests/hub/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/hub --no-audit --no-fund --silent && touch $(CHP); \
	else echo "npm not found: the hub tests will be skipped (and fail under CI=true)"; fi

# Rebuilt only when the pins change (its stamp holds their hash).
hub-env: $(DEV) $(CHP)
	$(BIN)/python tests/hub/make_env.py $(HUB_ENV)

# Two pytest workers (pytest-xdist), one file each at a time: nbval needs a notebook's cells on one
# worker, and the grader's tests share a module fixture. The machine this is planned for has 2 cores.
test: $(DEV) $(AXE) hub-env
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)
	$(BIN)/python -m pytest --nbval-lax exercises $(PYTEST_ARGS)

bench: $(DEV) hub-env
	$(BIN)/python bench/run.py

# Re-execute every stored notebook after a change to data/ or src/yalu/, then rebuild the
# student versions of the exercises from the freshly run solutions.
notebooks: $(DEV)
	$(BIN)/python tools/run_notebooks.py
	$(BIN)/python -m yalu.exercises build

student-versions: $(RUNTIME)
	$(BIN)/python -m yalu.exercises build

# The tree students get (no instructor/, no model answers): point Binder/nbgitpuller at it.
RELEASE_DIR ?= ../yalu-student
student-release: $(RUNTIME)
	$(BIN)/python -m yalu.exercises release $(RELEASE_DIR)

# The course as a static website, built from the student release (no instructor/, no model answers)
# with Sphinx, myst-nb and sphinx-book-theme; open $(SITE_DIR)/index.html. Offline: nothing is fetched.
# YALU_REPOSITORY=https://github.com/OWNER/REPO and YALU_HUB=https://your.hub set the launch buttons.
SITE_DIR ?= _site
site: $(DEV)
	$(BIN)/python -m yalu.site build $(SITE_DIR)

# One PDF pack per seminar, A4 and US Letter, printed by Debian's Chromium through Playwright.
HANDOUTS_DIR ?= _handouts
handouts: $(DEV)
	$(BIN)/python -m yalu.handouts $(HANDOUTS_DIR)

environment.yml: requirements.txt tools/sync_env.py
	$(PYTHON) tools/sync_env.py

clean:
	rm -rf $(VENV)
