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

    ``head`` is the first few KB of the *decompressed* content. A known extension wins (but a
    ``.json`` file holding several values on separate lines is JSON Lines); otherwise the content
    decides and anything unrecognised is read as text.
    """
    name = strip_compression_suffix(path)
    dot = name.rfind(".")
    if dot > name.rfind("/"):
        found = _EXTENSIONS.get(name[dot:].lower())
        if found == "json" and _json_lines(head):
            return "jsonl"
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
        return "jsonl" if _is_json(start.split(b"\n", 1)[0]) else "json"  # else an object over several lines
    return "text"
