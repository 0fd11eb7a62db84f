"""Thin DoFns and the IngestArticles composite around the pure stages in ``transforms``."""
from datetime import date, datetime

import apache_beam as beam

from pipeline import __version__
from pipeline.io import DEAD_LETTER, count, dead_letter_output
from transforms import nlp, records
from transforms.prepare import prepare
from transforms.source import InputError


class PrepareArticle(beam.DoFn):
    """Source dict -> article fields (normalized text, layout, date, section, ids)."""

    def __init__(self, crawl_date: date, max_article_bytes: int):
        self._crawl_date = crawl_date
        self._max_article_bytes = max_article_bytes

    def process(self, src: dict):
        try:
            yield prepare(src, self._crawl_date, self._max_article_bytes)
        except InputError as error:
            yield dead_letter_output(src, error.stage, error)
        except Exception as error:  # a bug on one input must not stop the run
            yield dead_letter_output(src, "prepare", error)


class AnnotateArticles(beam.DoFn):
    """Batches of articles -> Avro records with entities and quotes; the model loads once per worker."""

    def __init__(self, model_name: str, nlp_batch_size: int, ingested_at: datetime):
        self._model_name = model_name
        self._nlp_batch_size = nlp_batch_size
        self._ingested_at = ingested_at
        self._nlp = None
        self._model = None

    def setup(self):
        self._nlp = nlp.load_nlp(self._model_name)
        self._model = nlp.model_info(self._nlp)

    def process(self, batch: list[dict]):
        try:
            annotated = nlp.annotate_batch(self._nlp, [(a["body"], a["title"]) for a in batch], self._nlp_batch_size)
            pairs = list(zip(batch, annotated))
        except Exception:  # find the article that broke the batch; the others still go through
            yield from self._one_by_one(batch)
            return
        for article, annotations in pairs:
            yield self._record(article, annotations)

    def _one_by_one(self, batch: list[dict]):
        for article in batch:
            try:
                annotations = nlp.annotate_batch(self._nlp, [(article["body"], article["title"])], 1)[0]
            except Exception as error:
                yield dead_letter_output(article, "annotate", error, raw=article["body"])
            else:
                yield self._record(article, annotations)

    def _record(self, article: dict, annotations: dict) -> dict:
        count("written")
        count("entities", len(annotations["entities"]))
        count("quotes", len(annotations["quotes"]))
        return records.article_record(article, annotations, self._model, __version__, self._ingested_at)


def stamp_dead_letter(letter: dict, failed_at: datetime) -> dict:
    """Add the run fields of schemas/dead_letter.avsc."""
    return {**letter, "pipeline_version": __version__, "failed_at": failed_at}


class IngestArticles(beam.PTransform):
    """Source dicts -> (article records, dead letters).

    Every source ends in exactly one of the two outputs.
    """

    def __init__(self, model_name: str, run_started: datetime, max_article_bytes: int, nlp_batch_size: int = 16):
        super().__init__()
        self._model_name = model_name
        self._run_started = run_started
        self._max_article_bytes = max_article_bytes
        self._nlp_batch_size = nlp_batch_size

    def expand(self, sources):
        prepared = sources | "Prepare" >> beam.ParDo(
            PrepareArticle(self._run_started.date(), self._max_article_bytes)
        ).with_outputs(DEAD_LETTER, main="articles")
        annotated = (
            prepared.articles
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._nlp_batch_size * 4)
            | "Annotate" >> beam.ParDo(
                AnnotateArticles(self._model_name, self._nlp_batch_size, self._run_started)
            ).with_outputs(DEAD_LETTER, main="records")
        )
        dead_letters = (prepared[DEAD_LETTER], annotated[DEAD_LETTER]) | "MergeDeadLetters" >> beam.Flatten()
        return annotated.records, dead_letters
