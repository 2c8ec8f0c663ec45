# The project's commands. Each target sets up what it needs (virtual environment, npm
# packages, Debian packages) and is safe to run again. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13: pyodide-build >= 0.26 needs >= 3.12, and the calculators wheel is
# byte-compiled for Pyodide 0.29.x, which runs Python 3.13 (see README, "Runtime pairing").
PYTHON_BASE ?= $(shell for p in $$HOME/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.13*/bin/python3.13 $$(command -v python3.13); do [ -x "$$p" ] && "$$p" -c "" 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := chromium graphviz poppler-utils fonts-dejavu-core fonts-dejavu-extra
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup system-deps site serve test bench lint lock clean edition

help:
	@echo "make serve   build the site and serve it with live reload on http://$(HOST):$(PORT)/"
	@echo "make site    build everything into site/"
	@echo "make test    run the whole test suite (what CI runs)"
	@echo "make bench   print performance figures"
	@echo "make edition keep this edition's export and start the next edition"

system-deps:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }

$(VENV)/.installed: requirements.lock
	@test -n "$(PYTHON_BASE)" || { echo "Python 3.13 not found (set PYTHON_BASE=/path/to/python3.13)"; exit 1; }
	@test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: system-deps $(VENV)/.installed node_modules/.installed

site: setup
	$(PY) -m build_tools build

serve: setup
	$(PY) -m build_tools build
	$(PY) -m build_tools serve --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m ruff check .
	$(PY) -m mypy calculators build_tools
	$(PY) -m pytest -q

bench: site
	$(PY) -m build_tools.bench
	$(PY) -m build_tools.bench_firstvisit
	$(PY) -m build_tools.bench_scale

# Cut an edition: keep its export in content/editions/ and bump the edition (refuses on
# content problems, and when that edition is already kept).
edition: setup
	$(PY) -m build_tools.release

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy calculators build_tools

# Regenerate the hashed lock from pyproject.toml's pins (needs the network).
lock: $(VENV)/.installed
	$(PY) -m pip install -q uv==0.13.9
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.13 --universal -q -o requirements.lock

clean:
	rm -rf build site .pytest_cache
