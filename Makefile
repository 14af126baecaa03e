# Agora: `make demo` sets up and starts the demo; `make test` sets up and runs every test.
# Everything a machine needs is installed from here (Debian packages, npm, PyPI), nothing by hand.

PREFIX      ?= /opt/agora
VENV        := $(PREFIX)/venv
NODE_PREFIX := $(PREFIX)/node
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.agora-installed
PYTEST_ARGS ?=

export AGORA_VENV := $(VENV)
export AGORA_PROXY_CMD := $(NODE_PREFIX)/node_modules/.bin/configurable-http-proxy

.PHONY: setup system-deps demo test test-fast bench clean-venv

# Debian packages: Debian's own python3 (world-readable, so spawned users can run it),
# venv, npm for configurable-http-proxy, chromium for browser tests.
system-deps:
	@command -v apt-get >/dev/null || { echo "Agora setup expects Debian (apt-get)"; exit 1; }
	@missing=""; \
	for p in python3 python3-venv chromium npm; do \
	  if [ $$p = npm ] && command -v npm >/dev/null; then continue; fi; \
	  if [ $$p = chromium ] && [ -x /usr/bin/chromium ]; then continue; fi; \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(MAKE) system-deps
	install -d -m 755 $(PREFIX)
	[ -x $(PY) ] || /usr/bin/python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test]'
	[ -x $(AGORA_PROXY_CMD) ] || npm install --silent --no-fund --no-audit --prefix $(NODE_PREFIX) configurable-http-proxy@5.3.0
	chmod -R a+rX $(PREFIX)
	touch $(STAMP)

# Always point the venv's editable install at this checkout (it may have moved), and check that
# spawned users (not root) can read it.
setup: $(STAMP)
	$(VENV)/bin/pip install -q --no-deps -e .
	@runuser -u nobody -- test -r $(CURDIR)/shared_lib/agora/__init__.py 2>/dev/null || \
	  echo "warning: $(CURDIR) is not readable by other users; spawned notebook servers cannot import agora"

demo: setup
	$(VENV)/bin/agora demo

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not slow and not bench" $(PYTEST_ARGS)

bench: setup
	$(PY) -m pytest tests/bench -m bench -s $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
