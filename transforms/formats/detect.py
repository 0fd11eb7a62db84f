"""Which reader an input file needs: by extension (after .gz/.bz2/.zst), then by content."""
import json

from transforms.compression import strip_compression_suffix

FORMATS = ("text", "jsonl", "json", "html", "warc")
_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jl": "jsonl",
    ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<article", b"<!--")


def detect_format(path: str, head: bytes) -> str:
    """text | jsonl | json | html | warc for a file named ``path`` starting with ``head``.

    ``head`` is the first few KB of the *decompressed* content. A known extension wins;
    otherwise the content decides and anything unrecognised is read as text.
    """
    name = strip_compression_suffix(path)
    dot = name.rfind(".")
    if dot > name.rfind("/"):
        found = _EXTENSIONS.get(name[dot:].lower())
        if found:
            return found
    return sniff_format(head)


def sniff_format(head: bytes) -> str:
    """The format the first bytes of a file look like; ``text`` when nothing else fits."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = start[:200].lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if lower.startswith(_HTML_MARKERS) or lower.startswith(b"<?xml") and b"<html" in head[:2000].lower():
        return "html"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
        except ValueError:
            return "json"  # an object spread over several lines
        return "jsonl"
    return "text"
