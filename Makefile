# The two commands of the README:
#   make run   install, build the demo index if missing, and show it
#   make test  install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INDEX_DIR ?= var/index
export SEARCH_INDEX_DIR ?= $(INDEX_DIR)

.PHONY: run test install index rebuild bench-conflation clean

run: install index
	$(PY) -m index stats --index-dir $(INDEX_DIR)

test: install
	$(PY) -m pytest

install: $(VENV)/.installed

# Debian's python3 lacks the venv module until python3-venv is installed.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

index: install
	@test -f $(INDEX_DIR)/CURRENT || $(PY) -m index build data/ --index-dir $(INDEX_DIR)

rebuild: install
	$(PY) -m index build data/ --index-dir $(INDEX_DIR)

bench-conflation: install
	$(PY) bench/conflation.py

clean:
	rm -rf $(VENV) var .pytest_cache
