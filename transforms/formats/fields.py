"""JSON records to source dicts: which JSON key holds the title, text, date, ...

``DEFAULT_FIELDS`` covers plain dumps, news-please output (``maintext``, ``date_publish``)
and webhose-style dumps (``thread.section_title``, ``thread.url``, ``published``) without
configuration. A user field map such as ``title=headline,text=story`` (``parse_field_map``)
replaces the defaults of the keys it names. Dotted names walk into nested objects.
"""
from transforms.formats import MissingText
from transforms.source import source

DEFAULT_FIELDS = {
    "id": ("id", "uuid", "_id", "article_id", "item_id"),
    "url": ("url", "link", "thread.url"),
    "title": ("title", "headline", "thread.title"),
    "text": ("text", "body", "maintext", "content", "article_body", "articleBody"),
    "html": ("html", "raw_html", "html_content"),
    "date": ("date", "date_publish", "published", "publish_date", "published_at",
             "datePublished", "thread.published"),
    "section": ("section", "category", "categories", "thread.section_title"),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang", "thread.language"),
}
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
    value = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _first(record: dict, names) -> object:
    for name in names:
        value = _get(record, name)
        if value not in (None, "", [], {}):
            return value
    return None


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
    where = uri if position is None else f"{uri} {'line' if fmt == 'jsonl' else 'index'} {position}"
    if not isinstance(record, dict):
        raise MissingText("read", f"{where}: is a JSON {type(record).__name__}, not an object; "
                                  "each record must be an object with a text field")
    fields = {**DEFAULT_FIELDS, **(field_map or {})}
    values = {key: _first(record, names) for key, names in fields.items()}
    out = {target: _as_text(values[key]) for key, target in _TARGETS.items()}
    for key in ("text", "html"):  # article text must be a JSON string, not a number or a list
        out[key] = out[key] if isinstance(values[key], str) else None
    if out["text"] is None and out["html"] is None:
        raise MissingText("read", (
            f"{where}: no article text in any of the fields {', '.join(fields['text'] + fields['html'])} "
            f"(keys present: {', '.join(list(record)[:20]) or 'none'}); "
            "name the text field with --field_map text=<key>"))
    authors = values["authors"]
    authors = authors if isinstance(authors, list) else [authors]
    authors = [a.get("name") if isinstance(a, dict) else a for a in authors]
    out["authors"] = [a.strip() for a in authors if isinstance(a, str) and a.strip()]
    return source(uri, fmt, source_position=position, **out)
