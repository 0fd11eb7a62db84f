"""Thin DoFns and the IngestArticles composite around the pure stages in ``transforms``."""
import threading
from dataclasses import dataclass
from datetime import date, datetime

import apache_beam as beam
from spacy.language import Language

from pipeline import __version__, environment
from pipeline.io import DEAD_LETTER, count, dead_letter_output
from pipeline.languages import LanguageRouter
from pipeline.near_duplicates import GroupNearDuplicates
from transforms import language, nlp, records
from transforms.formats.html import extract_html
from transforms.prepare import prepare
from transforms.quotes.model import AttributionModel


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
    """Batches of articles -> Avro records with entities and quotes, each article through the
    model of its language (``router``); the models load in ``setup``, once per worker thread
    (runners such as Dask set up a new DoFn instance per partition)."""

    def __init__(self, models: dict[str, str], router: LanguageRouter, nlp_batch_size: int, ingested_at: datetime,
                 matmul: str = nlp.DEFAULT_MATMUL):
        self._models = models  # {language: spaCy model}
        self._router = router
        self._nlp_batch_size = nlp_batch_size
        self._matmul = matmul
        self._ingested_at = ingested_at
        self._loaded: dict[str, "_Models"] = {}  # {language: its models}

    def setup(self):
        for code, name in self._models.items():
            self._loaded[code] = _thread_models(name, self._matmul)

    def process(self, batch: list[dict]):
        by_language: dict[str, list[dict]] = {}
        for article in batch:
            code, record = self._router.route(article)
            if record is not None:
                yield record
            elif code is not None:
                by_language.setdefault(code, []).append(article)
        for code, articles in by_language.items():
            yield from self._annotate(articles, self._loaded[code])

    def _annotate(self, batch: list[dict], models: "_Models"):
        keep_vocabulary = models.annotated < nlp.KEPT_VOCABULARY_ARTICLES
        models.annotated += len(batch)
        try:
            annotated = nlp.annotate_batch(models.nlp, [(a["body"], a["title"]) for a in batch], self._nlp_batch_size,
                                           attribution=models.attribution, keep_vocabulary=keep_vocabulary)
            pairs = list(zip(batch, annotated))
        except Exception:  # find the article that broke the batch; the others still go through
            yield from self._one_by_one(batch, models)
            return
        for article, annotations in pairs:
            yield self._record(article, annotations, models.info)

    def _one_by_one(self, batch: list[dict], models: "_Models"):
        for article in batch:
            try:
                annotations = nlp.annotate_batch(models.nlp, [(article["body"], article["title"])], 1,
                                                 attribution=models.attribution)[0]
            except Exception as error:
                yield dead_letter_output(article, "annotate", error, raw=article["body"])
            else:
                yield self._record(article, annotations, models.info)

    def _record(self, article: dict, annotations: dict, model: dict) -> dict:
        count("written")
        count(f"written_{article['source_format']}")
        count("entities", len(annotations["entities"]))
        count("quotes", len(annotations["quotes"]))
        count("words", article["word_count"])
        return records.article_record(article, annotations, model, __version__, self._ingested_at)


_LOADED = threading.local()


@dataclass
class _Models:
    """A language's models as one worker thread loaded them."""
    nlp: Language
    attribution: AttributionModel
    info: dict  # the spaCy model's name and version
    annotated: int = 0  # articles annotated with them so far: the first ones keep their words (nlp.annotate_batch)


def _thread_models(model_name: str, matmul: str) -> _Models:
    """The spaCy model and the attribution model, loaded once per thread and shared by the DoFn
    instances that thread runs."""
    models = _LOADED.__dict__.setdefault("models", {})
    if (model_name, matmul) not in models:
        spacy_nlp = nlp.load_nlp(model_name, matmul)
        models[model_name, matmul] = _Models(spacy_nlp, nlp.load_attribution_model(), nlp.model_info(spacy_nlp))
    return models[model_name, matmul]


def stamp_dead_letter(letter: dict, failed_at: datetime) -> dict:
    """Add the run fields of schemas/dead_letter.avsc."""
    return {**letter, "pipeline_version": __version__, "failed_at": failed_at}


class IngestArticles(beam.PTransform):
    """Source dicts -> (article records, dead letters).

    Every source ends in exactly one of the two outputs, or with ``dedupe`` is counted as a
    duplicate of one that does. With ``merge_dead_letters=False`` the dead letters are a dict
    {stage: PCollection}: the local runner holds a Flatten's whole input in memory, so a batch
    run writes each stage's dead letters apart to stream them.
    """

    def __init__(self, model: str | dict[str, str], run_started: datetime, max_article_bytes: int, nlp_batch_size: int = 16,
                 dedupe: bool = False, matmul: str = nlp.DEFAULT_MATMUL, languages: frozenset = frozenset(),
                 keep_other_languages: bool = False, near_duplicates: GroupNearDuplicates | None = None,
                 merge_dead_letters: bool = True):
        super().__init__()
        self._merge_dead_letters = merge_dead_letters
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
    def from_options(cls, nb, run_started: datetime, merge_dead_letters: bool = True) -> "IngestArticles":
        """The ingest stages configured by NewsbeamOptions ``nb``."""
        models = language.parse_models(nb.model, nlp.DEFAULT_MODEL, environment.model_language)
        return cls(models, run_started, nb.max_article_bytes, nb.nlp_batch_size, nb.dedupe, nb.nlp_matmul,
                   language.parse_languages(nb.languages), nb.keep_other_languages,
                   GroupNearDuplicates(nb.near_duplicate_threshold, nb.shingle_words) if nb.near_duplicates else None,
                   merge_dead_letters)

    def expand(self, sources):
        extracted = (
            sources
            | "ExtractHtml" >> beam.ParDo(ExtractHtml(self._run_started.date())).with_outputs(DEAD_LETTER, main="sources")
        )
        prepared = extracted.sources | "Prepare" >> beam.ParDo(
            PrepareArticle(self._run_started.date(), self._max_article_bytes)
        ).with_outputs(DEAD_LETTER, main="articles")
        articles = prepared.articles | "Dedupe" >> DropDuplicates() if self._dedupe else prepared.articles
        router = LanguageRouter(self._models, self._languages, self._keep_other_languages, self._run_started)
        annotated = (
            articles
            # a Beam batch holds up to four nlp.pipe minibatches: fewer bundles, same model work
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._nlp_batch_size * 4)
            | "Annotate" >> beam.ParDo(AnnotateArticles(
                self._models, router, self._nlp_batch_size, self._run_started, self._matmul)
            ).with_outputs(DEAD_LETTER, main="records")
        )
        by_stage = {"extract": extracted[DEAD_LETTER], "prepare": prepared[DEAD_LETTER], "annotate": annotated[DEAD_LETTER]}
        written = annotated.records
        if self._near_duplicates:
            written = written | "NearDuplicates" >> self._near_duplicates
        if not self._merge_dead_letters:
            return written, by_stage
        return written, tuple(by_stage.values()) | "MergeDeadLetters" >> beam.Flatten()
