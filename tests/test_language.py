import pytest

from tests.language_samples import SAMPLES
from transforms import language
from transforms.language import detect, disagrees, normalize_declared, resolve


@pytest.mark.parametrize("raw, code", [
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("english", "en"), ("English", "en"),
    ("eng", "en"), ("fil", "fil"), ("Englisch", "en"), ("Deutsch", "de"), ("ger", "de"), ("fre", "fr"),
    ("Español", "es"), ("zh-Hant-TW", "zh"), ("", None), (None, None), ("gibberish", None), ("xx", None), (42, None),
])
def test_normalize_declared(raw, code):
    assert normalize_declared(raw) == code


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_each_sample_language(code):
    title, body = SAMPLES[code]
    fields = resolve(None, title, body)
    assert (fields["language"], fields["language_source"], fields["language_detected"]) == (code, "detected", code)
    assert fields["language_confidence"] >= language.MIN_CONFIDENCE


def test_a_declared_language_wins_and_the_disagreement_shows():
    title, body = SAMPLES["de"]
    fields = resolve("english", title, body)
    assert (fields["language"], fields["language_source"], fields["language_detected"]) == ("en", "input", "de")
    assert disagrees({**fields, "word_count": len(body.split())})
    assert not disagrees({**resolve("de", title, body), "word_count": len(body.split())})


def test_a_short_text_neither_gets_a_language_nor_disagrees():
    fields = resolve(None, None, "Obama met Merkel in Berlin.")
    assert (fields["language"], fields["language_source"]) == (None, None)
    assert fields["language_confidence"] < language.MIN_CONFIDENCE
    assert not disagrees({**resolve("de", None, "The mayor said so, traders said."), "word_count": 6})


def test_text_without_letters_is_not_detected():
    assert detect("2017 -- 12 / 45") == (None, 0.0)
    assert resolve("fr", None, "2017")["language_confidence"] is None
