# The two commands of the README:
#   make run   install, build the demo index if missing, show it, and serve the REST API
#   make test  install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INDEX_DIR ?= var/index
export SEARCH_INDEX_DIR ?= $(INDEX_DIR)
API_HOST ?= 127.0.0.1
API_PORT ?= 8000

.PHONY: run serve test install system-deps chromium index rebuild bench-conflation bench-deps bench-performance bench-load bench-profile clean

run: install index
	$(PY) -m index stats --index-dir $(INDEX_DIR)
	@$(MAKE) --no-print-directory serve

# The REST API with gunicorn (settings in gunicorn.conf.py) on $$SEARCH_INDEX_DIR.
serve: install
	@echo
	@echo "Serving the search API (Ctrl-C stops it):"
	@echo "  demo:   http://$(API_HOST):$(API_PORT)/"
	@echo "  docs:   http://$(API_HOST):$(API_PORT)/api/docs"
	@echo "  search: http://$(API_HOST):$(API_PORT)/api/search?q=Kursk"
	@echo
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(API_HOST):$(API_PORT) --workers 2

test: install chromium
	$(PY) -m pytest

# The search box's browser tests drive Debian's chromium with Playwright (which
# downloads no browser of its own); installed here when missing and we are root.
chromium:
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || { \
	  echo "chromium is missing; installing it with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# system-deps first: pip builds PyICU against Debian's ICU.
install: system-deps $(VENV)/.installed

# Debian packages the project needs: PyICU (the transliteration of names) has
# no wheel, and pip builds it against Debian's ICU with libicu-dev, pkg-config,
# g++ and Python's headers; German decompounding reads wngerman's word list;
# query translation reads the FreeDict dictionaries (dictd's format, no dictd
# needed).  Installed here when missing and we are root.
DICTIONARY_PACKAGES = dict-freedict-deu-rus dict-freedict-deu-ell dict-freedict-ell-rus
system-deps:
	@{ pkg-config --exists icu-i18n 2>/dev/null && command -v g++ >/dev/null \
	   && test -f "$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" \
	   && test -f /usr/share/dict/ngerman \
	   $(foreach p,$(DICTIONARY_PACKAGES),&& test -f /usr/share/dictd/$(p:dict-%=%).index) ; } \
	|| [ "$$(id -u)" != 0 ] || { \
	  echo "libicu-dev, pkg-config, g++, python3-dev, wngerman or a dict-freedict dictionary is missing; installing them with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ python3-dev wngerman $(DICTIONARY_PACKAGES); }

# Debian's python3 lacks the venv module until python3-venv is installed.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

# An index built by an older version is served as it is (without the newer
# fields' features): say so, but never replace what may be someone's articles.
index: install
	@test -f $(INDEX_DIR)/CURRENT || $(PY) -m index build data/ --index-dir $(INDEX_DIR)
	@$(PY) -c 'import sys; from index.schema import missing_fields; from index.store import IndexStore; \
	  missing = missing_fields(IndexStore(sys.argv[1]).open_live().schema); \
	  missing and print(f"warning: {sys.argv[1]} was built by an older version, without the fields", *missing, \
	  "- make rebuild rebuilds the demo articles, python -m index build PATH... your own")' $(INDEX_DIR)

rebuild: install
	$(PY) -m index build data/ --index-dir $(INDEX_DIR)

bench-conflation: install
	$(PY) bench/conflation.py

# Benchmark-only dependencies: the pinned bench/requirements.txt (tantivy, matplotlib, pyinstrument)
# into the venv, and, when missing and we are root, Debian's Lucene 8 jars, a JDK and wrk.
BENCH_SIZES ?= 10000 50000
bench-deps: install $(VENV)/.bench-installed
	@{ ls /usr/share/java/lucene-core-8*.jar >/dev/null 2>&1 && command -v javac >/dev/null && command -v wrk >/dev/null; } \
	  || [ "$$(id -u)" != 0 ] || { \
	  echo "installing Debian's liblucene8-java, a JDK and wrk with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblucene8-java wrk \
	    $$(command -v javac >/dev/null || echo default-jdk-headless); }

$(VENV)/.bench-installed: bench/requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r bench/requirements.txt
	touch $@

# Ours beside Lucene and tantivy; writes docs/benchmark.md and docs/benchmark.png.
bench-performance: bench-deps
	$(PY) bench/performance.py --sizes $(BENCH_SIZES)

bench-load: bench-deps
	$(PY) bench/load.py

bench-profile: bench-deps
	$(PY) bench/profile.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
