"""Shared fixture: the real model, loaded once per test session."""

import pytest

from transforms.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()
