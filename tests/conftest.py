"""Shared test helpers: the optional development data folder."""
import pathlib

import pytest

DEVDATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "devdata"


@pytest.fixture
def devdata() -> pathlib.Path:
    """``../shared/devdata``; the test is skipped when it is absent."""
    if not DEVDATA.is_dir():
        pytest.skip("../shared/devdata is absent")
    return DEVDATA
