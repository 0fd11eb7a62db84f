"""Language routing: each article to the model of its language, or written without NLP, or dropped."""
from datetime import datetime

from pipeline import __version__
from pipeline.io import count
from transforms import language, records


class LanguageRouter:
    """Where each article goes, counted: the language of the model to run, or a record written
    without NLP, or neither (outside --languages). Used inside the Annotate DoFn, so that the
    languages need no Flatten, which the local runner would hold whole in memory."""

    def __init__(self, models: dict[str, str], languages: frozenset, keep_other: bool, ingested_at: datetime):
        self._models = models
        self._languages = languages
        self._keep_other = keep_other
        self._ingested_at = ingested_at

    def route(self, article: dict) -> tuple[str | None, dict | None]:
        """(language of the model to run, None), or (None, record without NLP), or (None, None)."""
        count(f"lang_{article['language'] or 'unknown'}")
        action, value = language.route(article["language"], self._models, self._languages, self._keep_other)
        if action == "model":
            return value, None
        if action == "skip":
            count("written")
            count(f"written_{article['source_format']}")
            count(f"nlp_skipped_{value}")
            return None, records.article_record(article, records.NO_ANNOTATIONS, records.NO_MODEL, __version__,
                                                self._ingested_at, nlp_skipped_reason=value)
        count("language_filtered")
        count(f"language_filtered_{article['source_format']}")
        return None, None
