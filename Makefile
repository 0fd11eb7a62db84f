# make run: install into .venv and run newsbeam on seeds/ (output in out/)
# make test: install into .venv and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: install run test test-cloud clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=75' wheel
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: install
	rm -rf out
	$(PY) -m pipeline --input seeds/ --output out/

test: install
	$(PY) -m pytest -q tests

# gs:// (local GCS emulator), warehouse, schema evolution, Dataflow dry run, partitions, incremental, streaming
test-cloud: install
	$(PY) -m pytest -q tests/test_gcs.py tests/test_warehouse.py tests/test_evolution.py tests/test_dataflow.py \
		tests/test_runners.py tests/test_partition.py tests/test_incremental.py tests/test_streaming.py

clean:
	rm -rf out $(VENV) *.egg-info
