# Qoldau: `make run` sets everything up and serves; `make test` checks everything.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := qoldau.settings

.PHONY: run test install assets messages demo serve lint types migrations-check pytest fuzz browser clean

run: install assets messages
	$(BIN)/qoldau migrate --no-input
	$(BIN)/qoldau demo
	$(BIN)/qoldau serve --port $(PORT)

test: install assets messages browser lint types migrations-check pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Front-end libraries from the npm registry, exactly as package-lock.json pins them.
assets: static/vendor/.built

static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chart.umd.min.js
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/
	cp node_modules/supercluster/dist/supercluster.min.js static/vendor/supercluster.min.js
	cp node_modules/protomaps-leaflet/dist/protomaps-leaflet.js static/vendor/protomaps-leaflet.js
	mkdir -p static/vendor/fonts
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf static/vendor/fonts/
	touch $@

# Translations are compiled at install time (pure Python: no gettext tools needed).
messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django 2>&1 | grep -v "^$$" || true

demo: install
	$(BIN)/qoldau demo

serve: install
	$(BIN)/qoldau serve --port $(PORT)

# The browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@test -x /usr/bin/chromium || scripts/install-chromium

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_private_imports.py

types: install
	$(BIN)/mypy qoldau

migrations-check: install
	$(BIN)/qoldau makemigrations --check --dry-run

# One worker per core (pytest-xdist); work stealing evens out the long tests (the demo, the
# benchmarks' tiny runs, the video calls). `make test PYTEST_ARGS=...` replaces it.
PYTEST_ARGS ?= --numprocesses=auto --dist=worksteal
pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

# schemathesis over the whole OpenAPI document of a live Qoldau (SQLite, the demo) as an
# administrator and as NGO staff; fails on any 5xx. Fixed seed, bounded examples: a few minutes.
fuzz: install messages
	$(BIN)/python scripts/fuzz.py

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
