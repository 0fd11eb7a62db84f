# make run: install into .venv and run newsbeam on seeds/ (output in out/)
# make test: install into .venv and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: install run test clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: install
	rm -rf out
	$(PY) -m pipeline --input seeds/ --output out/

test: install
	$(PY) -m pytest -q tests

clean:
	rm -rf out $(VENV) *.egg-info
