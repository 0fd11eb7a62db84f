"""Shared paths and fixtures. Nothing here mocks Beam, spaCy or fastavro."""
import subprocess
import sys
from pathlib import Path

import pytest

from transforms.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVDATA = ROOT.parent / "shared" / "devdata"
pytest_plugins = ["tests.gcs", "tests.pubsub"]  # the gcs and pubsub fixtures: local GCS and Pub/Sub emulators
SEED_TEXTS = sorted(SEEDS.glob("*.txt"))  # the plain-text seeds: one article per file
USER_SEED = SEEDS / "000_525b36bb25d9f8cc.txt"  # the user's seed article (web layout)
LOCAL_RUNNER = "FnApiRunner"  # the DirectRunner's batch engine, without the Prism download
PIPELINE_CLI = [sys.executable, "-m", "pipeline"]


def run_cli(*args: str, env=None, timeout: int = 600, check: bool = False) -> subprocess.CompletedProcess:
    """``python -m pipeline *args`` from the checkout, finished; with ``check`` it must succeed."""
    done = subprocess.run([*PIPELINE_CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def seed_article_count() -> int:
    """Articles in seeds/: one per file, one per line of a JSONL dump."""
    return sum(len(path.read_text().splitlines()) if path.suffix == ".jsonl" else 1 for path in SEEDS.iterdir())


@pytest.fixture
def devdata() -> Path:
    """../shared/devdata, or skip when this checkout has no development data beside it."""
    if not DEVDATA.is_dir():
        pytest.skip(f"development data not found at {DEVDATA}")
    return DEVDATA


@pytest.fixture(scope="session")
def nlp():
    """The real model, loaded once per test session."""
    return load_nlp()
