"""One decompressed input stream -> ``(kind, payload)`` items, by the file's format.

This is the one place that maps a format name to its reader; ``pipeline.io`` opens the file,
detects the format and hands the stream here.
"""
from dataclasses import dataclass, field

from transforms.compression import read_capped
from transforms.formats import SOURCE
from transforms.formats.csv_table import read_table
from transforms.formats.feeds import read_feed
from transforms.formats.fields import parse_field_map
from transforms.formats.html import decode_html
from transforms.formats.json_array import read_json
from transforms.formats.jsonl import read_jsonl
from transforms.formats.jsonparse import MAX_RECORD_BYTES as DEFAULT_MAX_LINE_BYTES
from transforms.formats.parquet import read_parquet
from transforms.formats.sgml import read_sgml
from transforms.formats.warc import read_warc
from transforms.prepare import DEFAULT_MAX_ARTICLE_BYTES
from transforms.source import source

DEFAULT_MAX_DECOMPRESSED_BYTES = 4 << 30


@dataclass(frozen=True)
class ReadSettings:
    """How to read inputs: the format (or ``auto``), the JSON field map and the size caps."""

    input_format: str = "auto"
    field_map: dict = field(default_factory=dict)
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    json_records_path: str = ""

    @classmethod
    def from_options(cls, nb) -> "ReadSettings":
        """The reader's settings from the parsed NewsbeamOptions."""
        return cls(nb.input_format, parse_field_map(nb.field_map), nb.max_article_bytes,
                   nb.max_decompressed_bytes, nb.max_line_bytes, nb.json_records_path)


def read_items(fmt: str, stream, uri: str, settings: ReadSettings):
    """The items (see ``transforms.formats``) of ``stream``, the decompressed content of ``uri``
    in format ``fmt``. Text and HTML files are one article each; the others are streamed record
    by record (Parquet row group by row group)."""
    if fmt == "jsonl":
        return read_jsonl(stream, uri, settings.field_map, settings.max_line_bytes)
    if fmt == "json":
        return read_json(stream, uri, settings.field_map, settings.max_line_bytes,
                         records_path=settings.json_records_path)
    if fmt in ("csv", "tsv"):
        return read_table(stream, uri, fmt, settings.field_map, settings.max_line_bytes)
    if fmt == "parquet":
        return read_parquet(stream, uri, settings.field_map)
    if fmt == "feed":
        return read_feed(stream, uri)
    if fmt == "sgml":
        return read_sgml(stream, uri, settings.max_article_bytes)
    if fmt == "warc":
        return read_warc(stream, uri, settings.max_article_bytes)
    data = read_capped(stream, settings.max_article_bytes, f"{uri} (--max_article_bytes)")
    if fmt == "html":
        return [(SOURCE, source(uri, "html", html=decode_html(data, uri)))]
    return [(SOURCE, source(uri, "text", raw=data))]
