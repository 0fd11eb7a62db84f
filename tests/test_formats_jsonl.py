import gzip
import json
import os

import pytest

from tests.formats_helpers import run
from transforms.compression import open_capped
from transforms.formats.jsonl import read_jsonl

GOOD = json.dumps({"title": "T", "text": "Body"}).encode()


def test_lines_numbered_from_one_and_blank_lines_skipped():
    sources, dead, _ = run(read_jsonl, GOOD + b"\n\n" + GOOD + b"\n")
    assert [s["source_position"] for s in sources] == [1, 3] and dead == []
    assert all(s["source_format"] == "jsonl" for s in sources)


@pytest.mark.parametrize("line, error_class, words", [
    (b"{bad json", "MalformedInput", "invalid JSON"),
    (b'{"title": "no text"}', "MissingText", "--field_map text="),
    (b"[1, 2]", "MissingText", "not an object"),
    (b'{"text": "caf\xe9"}', "UndecodableInput", "UTF-8"),
    (b"[" * 200 + b"]" * 200, "TooDeep", "deeper than 64"),
    (b'{"text": "' + b"x" * 2000 + b'"}', "TooLarge", "--max_line_bytes"),
    (b"\x00\x01\x02\x03", "BinaryInput", "NUL bytes"),
])
def test_bad_line_is_dead_lettered_and_reading_goes_on(line, error_class, words):
    sources, dead, _ = run(read_jsonl, GOOD + b"\n" + line + b"\n" + GOOD + b"\n", max_line_bytes=1000)
    assert [s["source_position"] for s in sources] == [1, 3]
    assert len(dead) == 1
    letter = dead[0]
    assert (letter["source_position"], letter["error_class"], letter["stage"]) == (2, error_class, "read")
    assert words in letter["message"] and "dump line 2" in letter["message"]
    assert len(letter["raw_excerpt"]) <= 1000


def test_deep_nesting_beyond_the_interpreter_limit():
    _, dead, _ = run(read_jsonl, b"[" * 100_000 + b"]" * 100_000 + b"\n", max_line_bytes=1 << 20)
    assert [d["error_class"] for d in dead] == ["TooDeep"]


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_file_is_one_dead_letter(data):
    sources, dead, _ = run(read_jsonl, data)
    assert sources == [] and [d["error_class"] for d in dead] == ["EmptyInput"]


def test_last_line_without_newline():
    sources, _, _ = run(read_jsonl, GOOD + b"\n" + GOOD)
    assert len(sources) == 2


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(b"".join(json.dumps({"text": os.urandom(50).hex()}).encode() + b"\n" for _ in range(2000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with open(path, "rb") as raw:
        items = list(read_jsonl(open_capped(raw, "gzip", 1 << 30, str(path)), str(path)))
    kinds = [kind for kind, _ in items]
    assert kinds[-1] == "dead_letter" and set(kinds[:-1]) == {"source"}
    letter = items[-1][1]
    assert letter["error_class"] == "CorruptInput" and "truncated" in letter["message"]
    assert letter["source_position"] == len(kinds)


def test_a_line_that_is_an_api_response_says_how_to_read_it():
    page = json.dumps({"status": "ok", "articles": [{"title": "T", "text": "Body"}] * 3}).encode()
    sources, dead, _ = run(read_jsonl, page + b"\n")
    assert sources == [] and [d["error_class"] for d in dead] == ["MissingText"]
    assert "API response holding 3 records under articles" in dead[0]["message"] and "JSON array" in dead[0]["message"]
