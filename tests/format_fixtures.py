"""A directory of small dumps in every input format, with every bad-input case, and the
dead letters and records a pipeline run over it must produce (``EXPECTED_*``)."""
import bz2
import gzip
import json
from pathlib import Path

import zstandard

from tests.formats_helpers import warc

MAX_LINE_BYTES = 20_000
MAX_DECOMPRESSED_BYTES = 10_000_000
FLAGS = ("--max_line_bytes", str(MAX_LINE_BYTES), "--max_decompressed_bytes", str(MAX_DECOMPRESSED_BYTES))

BODY = ("Mayor Michael Carter backed the new transit plan on Monday after a long debate. "
        "\"We will act now,\" Carter said at City Hall.")


def article(n: int, **extra) -> dict:
    return {"id": f"a{n}", "title": f"Council votes on plan {n}", "text": f"{BODY} Item {n}.", **extra}


def line(record) -> bytes:
    return json.dumps(record).encode() + b"\n"


PAGE = ("<html lang='en'><head><title>Harbor reopens | Port News</title>"
        "<meta property='article:published_time' content='2019-05-06T08:00:00+02:00'>"
        "<meta property='article:section' content='Business'></head><body><nav>Home Sport</nav><article>"
        "<h1>Harbor reopens</h1>"
        + "".join(f"<p>Paragraph {i}: the harbor reopened to ships on Monday, officials said, after repairs.</p>"
                  for i in range(6))
        + "</article></body></html>").encode()
NAV_ONLY = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"


def _warc() -> bytes:
    return warc([
        ("response", "https://port.example/business/2019/05/06/harbor.html", PAGE, "text/html; charset=utf-8", "200 OK"),
        ("response", "https://port.example/logo.png", b"\x89PNG\r\n", "image/png", "200 OK"),
        ("response", "https://port.example/nav", NAV_ONLY, "text/html", "200 OK"),
        ("revisit", "https://port.example/business/2019/05/06/harbor.html", b"", "", None),
    ])


def build(directory: Path) -> None:
    """Write the fixture files into ``directory``."""
    files = {
        "dump.jsonl": b"".join([
            line(article(1, section="Biz", date="2017-10-17T10:00:00-04:00", author="By Jane Doe and John Roe")),
            b"\n",
            b"{not json\n",                                            # line 3
            line({"title": "headline only"}),                          # line 4
            b"[" * 200 + b"]" * 200 + b"\n",                           # line 5
            line({"text": "x" * (MAX_LINE_BYTES + 10)}),               # line 6
            b'{"title": "bad bytes", "text": "caf\xe9 \xff"}\n',       # line 7
            b'{"text": "nul\x00byte"}\x00\n',                          # line 8
            line(article(1, section="Biz", date="2017-10-17T10:00:00-04:00")),  # line 9: duplicate content of line 1
            line({"uuid": "w1", "title": "Webhose story", "text": f"{BODY} Webhose.",
                  "thread": {"url": "https://x.example/sport/2018/02/03/match", "section_title": "Sports"}}),
        ]),
        "dump.json": b"[" + b",".join([json.dumps(article(2)).encode(), b"{broken}", b'{"title": "t"}',
                                         json.dumps(article(3, category=["Tech"])).encode()]) + b"]",
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "truncated.jsonl.gz": gzip.compress(b"".join(line(article(n, text=BODY * 40 + f" Item {n}."))
                                                     for n in range(10, 30)))[:-40],
        "bomb.jsonl.gz": gzip.compress(b"\n" * (MAX_DECOMPRESSED_BYTES * 5)),
        "page.html.bz2": bz2.compress(PAGE),
        "nav.html": NAV_ONLY,
        "crawl.warc.zst": zstandard.compress(_warc()),
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 8,
        "nul.jsonl": b"\x00" * 64,
        "latin1.txt": "Caf\u00e9 owners protest\n\nThe caf\u00e9 owners of the old town protested on Monday.".encode("cp1252"),
        "mojibake.txt": "Caf\u00e9 owners protest\n\nThe caf\u00e9 owners protested \u2014 loudly.".encode().decode("cp1252").encode(),
        "huge.txt": b"Huge\n\n" + b"word " * 10_000_000,           # a 50 MB single "article"
        "noext": line(article(4)),                                  # sniffed as jsonl
        "lines.json": line(article(5)) + line(article(6)),          # JSON Lines named .json: read as jsonl
        "notawarc.warc": b"one line of plain text\n",              # no WARC record at all
        "binary.html": b"<html>\x00\x01" * 100,                     # NUL bytes: not a page
    }
    for name, data in files.items():
        (directory / name).write_bytes(data)


ANY = "any position"  # where a damaged stream breaks off depends on buffering; WARC offsets on headers
# (file name, position) -> (stage, error_class) of every dead letter the run must write.
EXPECTED_DEAD_LETTERS = {
    ("dump.jsonl", 3): ("read", "MalformedInput"),
    ("dump.jsonl", 4): ("read", "MissingText"),
    ("dump.jsonl", 5): ("read", "TooDeep"),
    ("dump.jsonl", 6): ("read", "TooLarge"),
    ("dump.jsonl", 7): ("read", "UndecodableInput"),
    ("dump.jsonl", 8): ("read", "BinaryInput"),
    ("dump.json", 1): ("read", "MalformedInput"),
    ("dump.json", 2): ("read", "MissingText"),
    ("deep.json", 0): ("read", "TooDeep"),
    ("truncated.jsonl.gz", ANY): ("read", "CorruptInput"),
    ("bomb.jsonl.gz", ANY): ("read", "TooLarge"),
    ("nav.html", None): ("extract", "NoBody"),
    ("crawl.warc.zst#https://port.example/nav", ANY): ("extract", "NoBody"),
    ("empty.txt", None): ("decode", "EmptyInput"),
    ("binary.txt", None): ("decode", "BinaryInput"),
    ("nul.jsonl", 1): ("read", "BinaryInput"),
    ("huge.txt", None): ("read", "TooLarge"),
    ("notawarc.warc", None): ("read", "MalformedInput"),
    ("binary.html", None): ("read", "BinaryInput"),
}
# Titles of the records the run must write with --dedupe, besides the lines of truncated.jsonl.gz read
# before the break ("Council votes on plan 10", 11, ...). Line 9 of dump.jsonl repeats line 1 and
# the WARC page repeats page.html.bz2: 2 duplicates.
EXPECTED_TITLES = sorted(["Council votes on plan 1", "Webhose story", "Council votes on plan 2", "Council votes on plan 3",
                          "Council votes on plan 4", "Council votes on plan 5", "Council votes on plan 6", "Harbor reopens", "Caf\u00e9 owners protest", "Caf\u00e9 owners protest"])
EXPECTED_DUPLICATES = 2
# file name -> (raw_size, start of raw_excerpt) of its dead letter: the file's size for whole files,
# null where the size is unknown (the unread rest of a compressed file).
EXPECTED_RAW = {
    "huge.txt": (6 + 5 * 10_000_000, "Huge\n\nword word"),
    "binary.html": (800, "<html>\x00\x01<html>"),
    "binary.txt": (2048, "\x00\x01\x02"),
    "notawarc.warc": (None, "one line of plain text"),
    "truncated.jsonl.gz": (None, ""),
    "bomb.jsonl.gz": (None, ""),
}
