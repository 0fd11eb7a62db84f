"""Where a JSON wrapper (an API response, an export) keeps its array of article records.

A path is dotted keys to the array, optionally followed by ``[]`` and dotted keys into each
element: ``response.docs`` (the NYT API), ``hits.hits[]._source`` (an Elasticsearch export).
``--json_records_path`` names one; by default the ``DEFAULT_RECORDS_PATHS`` are tried in order.
"""
from dataclasses import dataclass

DEFAULT_RECORDS_PATHS = ("posts", "articles", "data", "items", "results", "documents",
                         "response.docs", "response.results", "hits.hits[]._source")


@dataclass(frozen=True)
class RecordsPath:
    """``array``: the keys to the array; ``inner``: the keys into each of its elements."""

    array: tuple[str, ...]
    inner: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ".".join(self.array) + ("[]." + ".".join(self.inner) if self.inner else "")

    def unwrap(self, element):
        """The record an array element holds (the element itself without ``inner`` keys);
        an Elasticsearch hit's ``_id`` is kept as the record's ``_id``."""
        record = element
        for key in self.inner:
            if not isinstance(record, dict) or key not in record:
                return element
            record = record[key]
        if self.inner and isinstance(record, dict) and isinstance(element, dict) and "_id" in element:
            record = {"_id": element["_id"], **record}
        return record


def parse_records_path(spec: str) -> RecordsPath:
    """``RecordsPath`` for ``"hits.hits[]._source"``; ValueError naming the spec if malformed."""
    array, sep, inner = spec.strip().partition("[]")
    inner = inner[1:] if inner.startswith(".") else inner
    keys, inner_keys = array.split("."), inner.split(".") if inner else []
    if not array or not all(keys) or not all(inner_keys) or "[]" in inner or (sep and not inner):
        raise ValueError(f"--json_records_path {spec!r} is not dotted keys to an array, optionally "
                         "followed by [] and dotted keys into each element (e.g. response.docs or hits.hits[]._source)")
    return RecordsPath(tuple(keys), tuple(inner_keys))


def records_paths(spec: str | None) -> tuple[RecordsPath, ...]:
    """The paths to look for: the one ``spec`` names, else the defaults."""
    return (parse_records_path(spec),) if spec else tuple(map(parse_records_path, DEFAULT_RECORDS_PATHS))


def find_records(value, paths) -> tuple[RecordsPath, list] | None:
    """The first of ``paths`` that leads to an array in the decoded object ``value``, with it."""
    for path in paths:
        found = value
        for key in path.array:
            found = found.get(key) if isinstance(found, dict) else None
        if isinstance(found, list):
            return path, found
    return None


def describe(paths) -> str:
    """``posts, articles, ...`` for messages."""
    return ", ".join(map(str, paths))
