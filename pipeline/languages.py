"""Language routing: each article to the model of its language, or written without NLP, or dropped."""
from datetime import datetime

import apache_beam as beam

from pipeline import __version__
from pipeline.io import count
from transforms import language, records

SKIPPED = "skipped"


class RouteByLanguage(beam.DoFn):
    """Article -> tagged output ``<language>`` (the model to run), or a record without NLP on the
    main output, or nothing (outside --languages); counts every article's language."""

    def __init__(self, models: dict[str, str], languages: frozenset, keep_other: bool, ingested_at: datetime):
        self._models = models
        self._languages = languages
        self._keep_other = keep_other
        self._ingested_at = ingested_at

    def process(self, article: dict):
        count(f"lang_{article['language'] or 'unknown'}")
        action, value = language.route(article["language"], self._models, self._languages, self._keep_other)
        if action == "model":
            yield beam.pvalue.TaggedOutput(value, article)
        elif action == "skip":
            count("written")
            count(f"written_{article['source_format']}")
            count(f"nlp_skipped_{value}")
            yield records.article_record(article, records.NO_ANNOTATIONS, records.NO_MODEL, __version__,
                                         self._ingested_at, nlp_skipped_reason=value)
        else:
            count("language_filtered")
            count(f"language_filtered_{article['source_format']}")
