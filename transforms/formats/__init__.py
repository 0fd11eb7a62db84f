"""Readers of structured inputs (JSONL, JSON, HTML, WARC, CSV/TSV, Parquet, RSS/Atom feeds,
SGML corpora), plus format detection.

Readers are pure generators over a binary file object. Each yields ``(kind, payload)`` items:

- ``("source", dict)``: a source dict (``transforms.source.source``);
- ``("dead_letter", dict)``: an input that could not be read (``transforms.source.dead_letter``);
- ``("skipped", reason)``: a part of the file that is deliberately not an input
  (a WARC request or revisit record, ...), to be counted, not dead-lettered.

A file that yields no source and no dead letter at all yields one ``EmptyInput`` dead letter,
so every file is accounted for.
"""
from transforms.source import InputError

SOURCE, DEAD_LETTER, SKIPPED = "source", "dead_letter", "skipped"


class MalformedInput(InputError):
    """The input is not valid in its format (invalid JSON, a broken WARC record, ...)."""


class TooDeep(InputError):
    """A JSON value nests deeper than the configured cap."""


class MissingText(InputError):
    """A structured record has no field holding the article text or HTML."""
