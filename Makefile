# Cunpin: the two set-up commands and the tools around them.
# `make run` and `make test` install what they need and are safe to run again.

SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := libharfbuzz-subset0 fonts-noto-cjk gettext
# The browser tests drive Debian's Chromium; the benchmark compares paperwork with LibreOffice.
TEST_APT_PACKAGES := chromium
BENCH_APT_PACKAGES := libreoffice-writer-nogui
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test bench lint check system-deps test-deps bench-deps venv migrate demo messages timers clean

## Install, migrate, load the demo county and serve on http://127.0.0.1:8000
# Documents print links and QR codes to /verify/ at the address the site is served on.
# The background-job worker (manage.py run_jobs) runs beside the web server and stops with it
# (Ctrl-C stops both).
run: export CUNPIN_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: venv migrate
	$(PY) manage.py load_demo
	@$(PY) manage.py run_jobs & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Install and run the whole test suite (set DATABASE_URL to test on PostgreSQL)
test: venv test-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0
	$(PY) -m pytest -q -p no:randomly

## Print the benchmark figures, one `name: value unit` a line
bench: venv bench-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m bench

## Ruff, mypy and Django's checks
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

# $(call apt_install,packages): install the Debian packages that are missing, with sudo when
# not root.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_PACKAGES))

test-deps:
	$(call apt_install,$(TEST_APT_PACKAGES))

bench-deps:
	$(call apt_install,$(BENCH_APT_PACKAGES))

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)

venv: system-deps $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON) -q

migrate: venv
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo

## Regenerate the translation catalogue after changing strings
messages: venv
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=.tools --ignore=var

## Fire due workflow timers (run from cron every few minutes)
timers: venv
	$(PY) manage.py workflow_timers

clean:
	rm -rf $(VENV) $(TOOLS)
