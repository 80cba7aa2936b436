# make run: set everything up, seed demo data and serve on http://localhost:5000
# make test: set everything up and run every test (CI runs this)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := chromium fonts-dejavu-core tesseract-ocr tesseract-ocr-eng redis-server postgresql \
  fonts-dkg-handwriting fonts-humor-sans fonts-femkeklaver fonts-comic-neue libpango-1.0-0 libpangoft2-1.0-0 \
  fontconfig fonts-breip fonts-bwht fonts-sjfonts fonts-rufscript fonts-klee fonts-kristi fonts-dancingscript haproxy
export FLASK_APP := wsgi.py

.PHONY: setup system venv frontend run district test bench lock migrate

setup: system venv frontend

system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

frontend: static/vendor/.installed
static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	cp node_modules/sortablejs/modular/sortable.esm.js static/vendor/
	cp node_modules/axe-core/axe.min.js static/vendor/
	# Yjs (co-editing) as one ES module: the pages load plain modules, with no import maps.
	node_modules/.bin/esbuild node_modules/yjs/dist/yjs.mjs --bundle --format=esm --minify --log-level=warning \
	  --outfile=static/vendor/yjs.esm.js
	touch $@

run: setup
	$(PY) -m flask db upgrade
	$(PY) -m flask demo
	$(PY) wsgi.py

# The district set-up on this machine: PostgreSQL, Redis, 2 app processes, a worker, HAProxy on :8000.
district: setup
	$(PY) -m deploy.district --demo

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench
	$(PY) -m bench.uploads
	$(PY) -m bench.sort
	$(PY) -m bench.review
	$(PY) -m bench.naming
	$(PY) -m bench.stalls
	$(PY) -m bench.ocr

lock:
	$(PY) -m pip install -q -r requirements.in
	$(PY) -m pip freeze --exclude-editable > requirements.lock

migrate:
	$(PY) -m flask db migrate -m "$(m)"
