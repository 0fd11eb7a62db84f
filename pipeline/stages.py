"""Thin DoFns and the IngestArticles composite around the pure stages in ``transforms``."""
from datetime import date, datetime

import apache_beam as beam

from pipeline import __version__
from pipeline.io import DEAD_LETTER, count, dead_letter_output
from pipeline.languages import RouteByLanguage
from pipeline.near_duplicates import GroupNearDuplicates
from transforms import language, nlp, records
from transforms.formats.html import extract_html
from transforms.prepare import prepare


class ExtractHtml(beam.DoFn):
    """Sources carrying a page in ``html`` (HTML files, WARC records, JSON with an html field)
    -> the same sources with the article text and page metadata; other sources pass through."""

    def __init__(self, crawl_date: date):
        self._crawl_date = crawl_date

    def process(self, src: dict):
        if src["html"] is None or src["text"] is not None:
            yield src
            return
        try:
            yield extract_html(src, self._crawl_date)
        except Exception as error:  # an InputError names its stage; a bug on one page must not stop the run
            yield dead_letter_output(src, "extract", error)


class DropDuplicates(beam.PTransform):
    """Keep one article per content_hash (the first by source_uri and position); count the rest."""

    def expand(self, articles):
        return (
            articles
            | "ByContent" >> beam.Map(lambda article: (article["content_hash"], article))
            | "Group" >> beam.GroupByKey()
            | "KeepFirst" >> beam.FlatMap(_keep_first)
        )


def _keep_first(keyed) -> list[dict]:
    _, group = keyed
    first, *duplicates = sorted(group, key=lambda a: (a["source_uri"], a["source_position"] or 0))
    for duplicate in duplicates:
        count("duplicates")
        count(f"duplicates_{duplicate['source_format']}")
    return [first]


class PrepareArticle(beam.DoFn):
    """Source dict -> article fields (normalized text, layout, date, section, ids)."""

    def __init__(self, crawl_date: date, max_article_bytes: int):
        self._crawl_date = crawl_date
        self._max_article_bytes = max_article_bytes

    def process(self, src: dict):
        try:
            article = prepare(src, self._crawl_date, self._max_article_bytes)
        except Exception as error:  # an InputError names its stage; a bug on one input must not stop the run
            yield dead_letter_output(src, "prepare", error)
            return
        if language.disagrees(article):
            count("language_disagreements")
        yield article


class AnnotateArticles(beam.DoFn):
    """Batches of articles -> Avro records with entities and quotes; the model loads in ``setup``,
    once per DoFn instance."""

    def __init__(self, model_name: str, nlp_batch_size: int, ingested_at: datetime, matmul: str = nlp.DEFAULT_MATMUL):
        self._model_name = model_name
        self._nlp_batch_size = nlp_batch_size
        self._matmul = matmul
        self._ingested_at = ingested_at
        self._nlp = None
        self._model = None

    def setup(self):
        self._nlp = nlp.load_nlp(self._model_name, self._matmul)
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
        count(f"written_{article['source_format']}")
        count("entities", len(annotations["entities"]))
        count("quotes", len(annotations["quotes"]))
        return records.article_record(article, annotations, self._model, __version__, self._ingested_at)


def stamp_dead_letter(letter: dict, failed_at: datetime) -> dict:
    """Add the run fields of schemas/dead_letter.avsc."""
    return {**letter, "pipeline_version": __version__, "failed_at": failed_at}


class IngestArticles(beam.PTransform):
    """Source dicts -> (article records, dead letters).

    Every source ends in exactly one of the two outputs, or with ``dedupe`` is counted as a
    duplicate of one that does.
    """

    def __init__(self, model: str | dict[str, str], run_started: datetime, max_article_bytes: int, nlp_batch_size: int = 16,
                 dedupe: bool = False, matmul: str = nlp.DEFAULT_MATMUL, languages: frozenset = frozenset(),
                 keep_other_languages: bool = False, near_duplicates: GroupNearDuplicates | None = None):
        super().__init__()
        self._near_duplicates = near_duplicates
        self._models = model if isinstance(model, dict) else {"en": model}  # {language: spaCy model}
        self._languages = languages
        self._keep_other_languages = keep_other_languages
        self._matmul = matmul
        self._run_started = run_started
        self._max_article_bytes = max_article_bytes
        self._nlp_batch_size = nlp_batch_size
        self._dedupe = dedupe

    @classmethod
    def from_options(cls, nb, run_started: datetime) -> "IngestArticles":
        """The ingest stages configured by NewsbeamOptions ``nb``."""
        return cls(language.parse_models(nb.model, nlp.DEFAULT_MODEL), run_started, nb.max_article_bytes, nb.nlp_batch_size,
                   nb.dedupe, nb.nlp_matmul, language.parse_languages(nb.languages), nb.keep_other_languages,
                   GroupNearDuplicates(nb.near_duplicate_threshold, nb.shingle_words) if nb.near_duplicates else None)

    def expand(self, sources):
        extracted = (
            sources
            | "ExtractHtml" >> beam.ParDo(ExtractHtml(self._run_started.date())).with_outputs(DEAD_LETTER, main="sources")
        )
        prepared = extracted.sources | "Prepare" >> beam.ParDo(
            PrepareArticle(self._run_started.date(), self._max_article_bytes)
        ).with_outputs(DEAD_LETTER, main="articles")
        articles = prepared.articles | "Dedupe" >> DropDuplicates() if self._dedupe else prepared.articles
        routed = articles | "Languages" >> beam.ParDo(RouteByLanguage(
            self._models, self._languages, self._keep_other_languages, self._run_started)).with_outputs(*self._models, main="skipped")
        annotated = [self._annotate(routed[code], code) for code in self._models]
        dead_letters = (
            (extracted[DEAD_LETTER], prepared[DEAD_LETTER], *(a[DEAD_LETTER] for a in annotated)) | "MergeDeadLetters" >> beam.Flatten()
        )
        written = (routed.skipped, *(a.records for a in annotated)) | "MergeRecords" >> beam.Flatten()
        if self._near_duplicates:
            written = written | "NearDuplicates" >> self._near_duplicates
        return written, dead_letters

    def _annotate(self, articles, code: str):
        """The articles of language ``code`` through its model (steps named Batch/Annotate for a single model)."""
        suffix = "" if len(self._models) == 1 else f"_{code}"
        return (
            articles
            # a Beam batch holds up to four nlp.pipe minibatches: fewer bundles, same model work
            | f"Batch{suffix}" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._nlp_batch_size * 4)
            | f"Annotate{suffix}" >> beam.ParDo(
                AnnotateArticles(self._models[code], self._nlp_batch_size, self._run_started, self._matmul)
            ).with_outputs(DEAD_LETTER, main="records")
        )
