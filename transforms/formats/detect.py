"""Which reader an input file needs: by extension (after .gz/.bz2/.zst), then by content."""
import csv
import io
import json
import re

from transforms.compression import strip_compression_suffix
from transforms.formats.csv_table import sniff_delimiter
from transforms.formats.fields import DEFAULT_FIELDS

FORMATS = ("text", "jsonl", "json", "html", "warc", "csv", "tsv", "parquet", "feed", "sgml")
_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jl": "jsonl",
    ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".parquet": "parquet", ".pq": "parquet",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".sgm": "sgml", ".sgml": "sgml",
}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<article", b"<!--")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
_SGML = re.compile(rb"<!doctype lewis|<reuters[\s>]|<doc>\s*<docno>", re.I)
_NOT_ONE_ARTICLE = ("html", "warc", "feed", "sgml", "parquet", "csv")  # content a .txt name does not make one article
_COLUMN = re.compile(r"[\w .:-]{1,40}")
_KNOWN_COLUMNS = {name.lower() for names in DEFAULT_FIELDS.values() for name in names}


def detect_format(path: str, head: bytes) -> str:
    """One of ``FORMATS`` for a file named ``path`` starting with ``head``.

    ``head`` is the first few KB of the *decompressed* content. A known extension wins (but a
    ``.json`` file holding several values on separate lines is JSON Lines, and a ``.txt`` file
    holding markup, a feed, SGML, WARC, Parquet or a table is read as what it holds); otherwise the
    content decides and anything unrecognised is read as text.
    """
    name = strip_compression_suffix(path)
    dot = name.rfind(".")
    if dot > name.rfind("/"):
        found = _EXTENSIONS.get(name[dot:].lower())
        if found == "json" and _json_lines(head):
            return "jsonl"
        if found == "text":
            sniffed = sniff_format(head)
            return sniffed if sniffed in _NOT_ONE_ARTICLE else found
        if found:
            return found
    return sniff_format(head)


def _json_lines(head: bytes) -> bool:
    """Whether ``head`` starts with a one-line JSON object followed by more content."""
    first, _, rest = head.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    return first.startswith(b"{") and _is_json(first) and bool(rest.strip())


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _looks_like_table(head: bytes) -> bool:
    """A header row and rows of as many fields (2 or more), or a header naming known columns."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first)):
            rows += [row] if row else []
            if len(rows) == 6:
                break
    except csv.Error:  # a row over csv's process-wide field size limit: judge the rows before it
        pass
    if not rows or len(rows[0]) < 2:
        return False
    complete = rows[:-1] if len(head) >= 4096 else rows  # the last row may be cut off
    if len(complete) >= 3 and len({len(row) for row in complete}) == 1:
        return True
    header = [cell.strip() for cell in rows[0]]
    return all(_COLUMN.fullmatch(cell) for cell in header) and any(cell.lower() in _KNOWN_COLUMNS for cell in header)


def sniff_format(head: bytes) -> str:
    """The format the first bytes of a file look like; ``text`` when nothing else fits."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = start[:200].lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"PAR1"):
        return "parquet"
    if _SGML.search(start[:2000]):
        return "sgml"
    if lower.startswith(b"<?xml"):
        return "html" if b"<html" in head[:2000].lower() else "feed"
    if lower.startswith(_FEED_MARKERS):
        return "feed"
    if lower.startswith(_HTML_MARKERS):
        return "html"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl" if _is_json(start.split(b"\n", 1)[0]) else "json"  # else an object over several lines
    return "csv" if _looks_like_table(start) else "text"
