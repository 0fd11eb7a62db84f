"""Deterministic ids and the final Avro record (schemas/article.avsc)."""
import hashlib
from datetime import datetime

ID_HEX_DIGITS = 32
NO_ANNOTATIONS = {"entities": [], "canonical_entities": [], "quotes": []}
NO_MODEL = {"name": "", "version": ""}  # the model of a record whose NLP was skipped


def _digest(*parts) -> str:
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HEX_DIGITS]


def content_hash(title: str | None, body: str) -> str:
    """Equal for articles with the same normalized title and body, wherever they come from."""
    return _digest(title, body)


def article_id(source_uri: str, source_position: int | None, content_hash_: str) -> str:
    """The same input (file, position in it, content) always gets the same id."""
    return _digest(source_uri, source_position, content_hash_)


def article_record(article: dict, annotations: dict, model: dict, pipeline_version: str, ingested_at: datetime,
                   nlp_skipped_reason: str | None = None) -> dict:
    """The Avro record: prepared article fields plus NLP annotations and run provenance."""
    return {
        **article,
        "nlp_skipped_reason": nlp_skipped_reason,
        "copy_group": None,                  # set by --near_duplicates
        "is_group_representative": None,
        "entities": annotations["entities"],
        "canonical_entities": annotations["canonical_entities"],
        "quotes": annotations["quotes"],
        "model": model,
        "pipeline_version": pipeline_version,
        "ingested_at": ingested_at,
    }
