# make run: install into .venv and run newsbeam on seeds/ (output in out/)
# make test: install into .venv and run the whole test suite
# make train-quotes: install into .venv and train the quote attribution model on ../shared/devdata (PolNeAR train)
# make bench: install into .venv and benchmark newsbeam against bare spaCy (JSON in $(BENCH_OUT))
# make lock: re-resolve setup.py into requirements.lock and deploy/requirements.lock (needs PyPI)
# make worker-wheels: download the workers' locked wheels and the model into $(WORKER_WHEELS) (Dataflow)
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
BENCH_OUT ?= /tmp/newsbeam-bench/
BENCH_ARGS ?=
# requirements.lock: everything `make install` puts into .venv (setup.py with [test], and pip itself);
# deploy/requirements.lock: the runtime subset at the same versions, for the image and the workers.
LOCK := requirements.lock
WORKER_LOCK := deploy/requirements.lock
UV_VERSION := 0.13.9
UV := .uv/bin/uv
LOCK_ARGS := --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' --quiet
LOCK_FLAGS ?=
WORKER_WHEELS ?= build/worker-wheels

.PHONY: install run test test-cloud bench lock worker-wheels train-quotes clean

install: $(VENV)/.installed

# Exactly the lock: a fresh venv, the hashed pins without resolving, then newsbeam itself without deps.
$(VENV)/.installed: setup.py $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
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

# transforms/quotes/data/attribution-v2.npz from polnear_train_quotes.jsonl (never dev); about 3 min on 2 cores (docs/quotes.md, "Training")
train-quotes: install
	$(PY) -m transforms.quotes.train

# baseline spaCy vs newsbeam on a 1M-word corpus built from ../shared/devdata; prints a table, writes JSON
bench: install
	$(PY) -m benchmarks --output $(BENCH_OUT) $(BENCH_ARGS)

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Keeps the current pins where setup.py still allows them; LOCK_FLAGS=--upgrade takes the newest releases.
lock: $(UV)
	echo pip | $(UV) pip compile setup.py - --extra test $(LOCK_ARGS) $(LOCK_FLAGS) -o $(LOCK)
	$(UV) pip compile setup.py -c $(LOCK) $(LOCK_ARGS) -o $(WORKER_LOCK)

worker-wheels: install
	$(PY) -m pipeline.workers $(WORKER_WHEELS)

clean:
	rm -rf out $(VENV) .uv *.egg-info
