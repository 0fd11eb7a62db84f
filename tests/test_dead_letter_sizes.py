"""raw_size is the input's real size or null, never the size of an excerpt; raw_excerpt shows its start."""
import gzip
import io
import json

import pytest

from tests.formats_helpers import run, warc
from tests.test_formats_warc import ARTICLE
from transforms.compression import open_capped
from transforms.formats.json_array import read_json
from transforms.formats.jsonl import read_jsonl
from transforms.formats.warc import read_warc

LONG_LINE = json.dumps({"text": "x" * 5000}).encode() + b"\n"
BIG_ELEMENT = json.dumps({"text": "y" * 300_000}).encode()
TRUNCATED_GZ = gzip.compress(b"".join(b'{"text": "line %d value %d"}\n' % (n, n * 7919) for n in range(40)))


def _gz(data: bytes):
    return open_capped(io.BytesIO(data[: len(data) // 2]), "gzip", 1 << 30, "d.gz")


@pytest.mark.parametrize("reader, data, kwargs, error_class, size, excerpt_start", [
    (read_jsonl, b'{"text": "ok"}\n' + LONG_LINE, {"max_line_bytes": 1000}, "TooLarge", len(LONG_LINE), '{"text": "xxx'),
    (read_jsonl, b'{"title": "no text"}\n', {}, "MissingText", 21, '{"title"'),
    (read_jsonl, TRUNCATED_GZ, {}, "CorruptInput", None, ""),
    (read_json, b"[" + BIG_ELEMENT + b"]", {"max_record_bytes": 100_000}, "TooLarge", None, '{"text": "yyy'),
    (read_json, b'[{broken}, {"text": "a b c"}]', {}, "MalformedInput", len(b"{broken}"), "{broken}"),
    (read_json, b'{"title": "' + b"t" * 5000 + b'"}', {}, "MissingText", 5013, '{"title": "ttt'),
    (read_warc, warc([("response", "https://ex.com/a", ARTICLE, "text/html", "200 OK")]), {"max_record_bytes": 100},
     "TooLarge", None, "<html>"),
])
def test_raw_size_and_excerpt(reader, data, kwargs, error_class, size, excerpt_start):
    stream = _gz(data) if data is TRUNCATED_GZ else io.BufferedReader(io.BytesIO(data))
    _, dead, _ = run(reader, stream, "d", **kwargs)
    letter = next(d for d in dead if d["error_class"] == error_class)
    assert letter["raw_size"] == size
    assert letter["raw_excerpt"].startswith(excerpt_start) and len(letter["raw_excerpt"]) <= 1000
