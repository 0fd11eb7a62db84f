"""JSON records to source dicts: which JSON key holds the title, text, date, ...

``DEFAULT_FIELDS`` covers plain dumps, news-please output (``maintext``, ``date_publish``)
and webhose-style dumps (``thread.section_title``, ``thread.url``, ``published``) without
configuration. A user field map such as ``title=headline,text=story`` (``parse_field_map``)
replaces the defaults of the keys it names. Dotted names walk into nested objects.
"""
from transforms.formats import MissingText
from transforms.source import source

DEFAULT_FIELDS = {
    "id": ("id", "uuid", "_id", "article_id", "item_id", "guid"),
    "url": ("url", "link", "web_url", "webUrl", "canonical_url", "thread.url"),
    "title": ("title", "headline", "headline.main", "webTitle", "thread.title"),
    "text": ("text", "body", "maintext", "content", "article_body", "articleBody", "fields.bodyText",
             "description", "summary", "lead_paragraph", "abstract"),
    "html": ("html", "raw_html", "html_content", "fields.body"),
    "date": ("date", "date_publish", "published", "publish_date", "published_at", "publishedAt",
             "pub_date", "pubDate", "date_published", "publication_date", "datePublished",
             "webPublicationDate", "thread.published"),
    "section": ("section", "category", "categories", "section_name", "sectionName", "news_desk",
                "thread.section_title"),
    "authors": ("authors", "author", "byline.original", "byline", "creator"),
    "language": ("language", "lang", "thread.language"),
}
_UNITS = {"jsonl": "line", "csv": "row", "tsv": "row", "parquet": "row"}  # what source_position counts
_TARGETS = {"id": "source_id", "url": "url", "title": "title", "text": "text", "html": "html",
            "date": "date_raw", "section": "section_raw", "language": "language"}


def parse_field_map(spec: str | None) -> dict:
    """``{"title": ("headline",), ...}`` from ``"title=headline,text=story|body"``.

    Raises ValueError naming the bad entry; keys must be among ``DEFAULT_FIELDS``.
    """
    mapping = {}
    for entry in (spec or "").split(","):
        if not entry.strip():
            continue
        key, sep, names = entry.partition("=")
        key = key.strip()
        if not sep or key not in DEFAULT_FIELDS or not names.strip():
            raise ValueError(
                f"--field_map entry {entry.strip()!r} is not KEY=json_key[|json_key...] "
                f"with KEY one of {', '.join(DEFAULT_FIELDS)}")
        mapping[key] = tuple(n.strip() for n in names.split("|") if n.strip())
    return mapping


def _get(record: dict, dotted: str):
    """The value under dotted keys; a key matches case-insensitively when no key matches exactly
    (CSV headers such as ``Title``)."""
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        if part not in value:
            part = next((key for key in value if isinstance(key, str) and key.lower() == part.lower()), None)
            if part is None:
                return None
        value = value[part]
    return value


def _first(record: dict, names, usable) -> object:
    """The first value under ``names`` that ``usable`` accepts (a headline object is no title)."""
    for name in names:
        value = _get(record, name)
        if value not in (None, "", [], {}) and usable(value):
            return value
    return None


def _is_string(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


_USABLE = {"text": _is_string, "html": _is_string, "authors": lambda value: True}


def _fields(field_map: dict | None) -> dict:
    return {**DEFAULT_FIELDS, **(field_map or {})}


def has_text(record, field_map: dict | None = None) -> bool:
    """Whether ``record`` is an object with a field holding article text or HTML."""
    fields = _fields(field_map)
    return isinstance(record, dict) and any(_first(record, fields[key], _is_string) is not None for key in ("text", "html"))


def _as_text(value) -> str | None:
    """A string for scalar values; the first string of a list (categories); else None."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int, float)) and str(v).strip()), None)
    if isinstance(value, bool) or value is None or isinstance(value, dict):
        return None
    value = str(value).strip()
    return value or None


def record_to_source(record, uri: str, fmt: str, position: int | None, field_map: dict | None = None) -> dict:
    """The source dict for one JSON record; ``MissingText`` if it has no text or HTML field."""
    where = uri if position is None else f"{uri} {_UNITS.get(fmt, 'index')} {position}"
    if not isinstance(record, dict):
        raise MissingText("read", f"{where}: is a JSON {type(record).__name__}, not an object; "
                                  "each record must be an object with a text field")
    fields = _fields(field_map)
    values = {key: _first(record, names, _USABLE.get(key, lambda value: _as_text(value) is not None))
              for key, names in fields.items()}
    out = {target: _as_text(values[key]) for key, target in _TARGETS.items()}
    if out["text"] is None and out["html"] is None:  # article text must be a string, not a number or a list
        raise MissingText("read", (
            f"{where}: no article text in any of the fields {', '.join(fields['text'] + fields['html'])} "
            f"(keys present: {', '.join(list(record)[:20]) or 'none'}); "
            "name the text field with --field_map text=<key>"))
    authors = values["authors"]
    authors = authors if isinstance(authors, list) else [authors]
    authors = [a.get("name") or a.get("original") if isinstance(a, dict) else a for a in authors]
    out["authors"] = [a.strip() for a in authors if isinstance(a, str) and a.strip()]
    return source(uri, fmt, source_position=position, **out)
