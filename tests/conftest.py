"""Shared paths and fixtures. Nothing here mocks Beam, spaCy or fastavro."""
from pathlib import Path

import pytest

from transforms.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVDATA = ROOT.parent / "shared" / "devdata"
LOCAL_RUNNER = "FnApiRunner"  # the DirectRunner's batch engine, without the Prism download


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
