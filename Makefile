# make run: install into .venv and run newsbeam on seeds/ (output in out/)
# make test: install into .venv and run the whole test suite
# make bench: install into .venv and benchmark newsbeam against bare spaCy (JSON in $(BENCH_OUT))
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
BENCH_OUT ?= /tmp/newsbeam-bench/
BENCH_ARGS ?=

.PHONY: install run test test-cloud bench clean

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
		tests/test_runners.py tests/test_partition.py tests/test_incremental.py tests/test_streaming.py tests/test_streaming_live.py

# baseline spaCy vs newsbeam on a 1M-word corpus built from ../shared/devdata; prints a table, writes JSON
bench: install
	$(PY) -m benchmarks --output $(BENCH_OUT) $(BENCH_ARGS)

clean:
	rm -rf out $(VENV) *.egg-info
