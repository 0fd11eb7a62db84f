import pytest

from transforms.languages import normalize_language


@pytest.mark.parametrize("raw, code", [
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("english", "en"), ("English", "en"),
    ("Deutsch", "de"), ("zh-Hant-TW", "zh"), ("", None), (None, None), ("klingon", None), ("eng", None), (42, None),
])
def test_normalize_language(raw, code):
    assert normalize_language(raw) == code
