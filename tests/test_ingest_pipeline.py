"""The IngestArticles composite on a real local Beam runner with the real spaCy model."""
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.options import DEFAULT_MODEL
from pipeline.stages import IngestArticles
from tests.conftest import LOCAL_RUNNER
from transforms.source import source

RUN_STARTED = datetime(2026, 1, 1, tzinfo=timezone.utc)

GOOD = source("mem://good.txt", "text", raw="Council votes\n\nMayor Michael Carter backed the plan on Monday.\n\n\"We will act,\" Carter said.\n\nSports on 05/02/2024".encode())
EMPTY = source("mem://empty.txt", "text", raw=b"")
BINARY = source("mem://binary.bin", "text", raw=bytes(range(256)))
HEADLINE_ONLY = source("mem://headline.txt", "text", raw=b"Just a headline\n\nUpcoming Events")
TOO_BIG = source("mem://big.txt", "text", raw=b"Title\n\n" + b"word " * 400)


def test_records_and_dead_letters_partition_the_input():
    with test_pipeline.TestPipeline(runner=LOCAL_RUNNER) as pipeline:
        records, dead_letters = (
            pipeline
            | beam.Create([GOOD, EMPTY, BINARY, HEADLINE_ONLY, TOO_BIG])
            | IngestArticles(DEFAULT_MODEL, RUN_STARTED, max_article_bytes=1000)
        )
        assert_that(
            records | "RecordSummary" >> beam.Map(lambda r: (r["source_uri"], r["title"], r["section"], str(r["published_date"]), r["ingested_at"])),
            equal_to([("mem://good.txt", "Council votes", "sport", "2024-05-02", RUN_STARTED)]),
            label="Records",
        )
        assert_that(
            dead_letters | "Reasons" >> beam.Map(lambda d: (d["source_uri"], d["stage"], d["error_class"])),
            equal_to([
                ("mem://empty.txt", "decode", "EmptyInput"),
                ("mem://binary.bin", "decode", "BinaryInput"),
                ("mem://headline.txt", "layout", "NoBody"),
                ("mem://big.txt", "decode", "TooLarge"),
            ]),
            label="DeadLetters",
        )


def test_records_carry_annotations_and_model():
    with test_pipeline.TestPipeline(runner=LOCAL_RUNNER) as pipeline:
        records, _ = pipeline | beam.Create([GOOD]) | IngestArticles(DEFAULT_MODEL, RUN_STARTED, max_article_bytes=1000)
        assert_that(
            records | beam.Map(lambda r: (
                r["model"]["name"],
                any(e["canonical"] == "Michael Carter" and e["label"] == "PERSON" for e in r["entities"]),
                [("We will act" in q["text"], q["speaker"], q["cue"]) for q in r["quotes"] if q["kind"] == "direct"],
            )),
            equal_to([(DEFAULT_MODEL, True, [(True, "Michael Carter", "said")])]),
        )


def test_a_thread_keeps_the_words_of_its_first_articles_only(monkeypatch):
    """The first KEPT_VOCABULARY_ARTICLES articles a worker thread annotates keep their words,
    whichever DoFn instance of the thread runs them (Dask makes one per partition); later ones
    run in memory zones, so the vocabulary stays bounded."""
    import threading

    from pipeline import stages
    from pipeline.languages import LanguageRouter
    from pipeline.stages import AnnotateArticles
    from transforms import nlp

    monkeypatch.setattr(stages, "_LOADED", threading.local())  # this thread's models, loaded afresh
    kept = []
    annotate = nlp.annotate_batch
    monkeypatch.setattr(nlp, "KEPT_VOCABULARY_ARTICLES", 3)
    monkeypatch.setattr(nlp, "annotate_batch", lambda *args, **kwargs: kept.append(kwargs["keep_vocabulary"]) or
                        annotate(*args, **kwargs))
    models = {"en": DEFAULT_MODEL}
    article = {"body": "Mayor Michael Carter said the plan works.", "title": "Plan", "language": "en",
               "source_format": "text", "word_count": 7}
    for _ in range(2):
        annotator = AnnotateArticles(models, LanguageRouter(models, frozenset(), False, RUN_STARTED), 16, RUN_STARTED)
        annotator.setup()
        for _ in range(2):
            with monkeypatch.context() as patched:  # the record's other fields are not under test
                patched.setattr(annotator, "_record", lambda article, annotations, model: annotations)
                assert len(list(annotator.process([article, article]))) == 2
    assert kept == [True, True, False, False]
