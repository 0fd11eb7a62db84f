# make run: install into .venv and run newsbeam on seeds/ (output in out/)
# make test: install into .venv and run the whole test suite
# make bench: install into .venv and benchmark newsbeam against bare spaCy (JSON in $(BENCH_OUT))
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
BENCH_OUT ?= /tmp/newsbeam-bench/
BENCH_ARGS ?=

.PHONY: install run test bench clean

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

# psutil (process-tree RSS) is not in setup.py yet; installed here until it is
bench: install
	$(PY) -m pip install --quiet psutil==7.2.2
	$(PY) -m benchmarks --output $(BENCH_OUT) $(BENCH_ARGS)

clean:
	rm -rf out $(VENV) *.egg-info
