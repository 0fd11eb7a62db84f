import gzip
import io
import json

import pytest

from tests.formats_helpers import run
from transforms.compression import open_capped
from transforms.formats.json_array import read_json

ARTICLE = {"title": "T", "text": "Body"}


def dump(*elements: bytes) -> bytes:
    return b"[" + b",\n ".join(elements) + b"]"


GOOD = json.dumps(ARTICLE).encode()


def test_array_indexed_from_zero():
    sources, dead, _ = run(read_json, dump(GOOD, GOOD, GOOD))
    assert [s["source_position"] for s in sources] == [0, 1, 2] and dead == []


def test_elements_larger_than_the_read_chunk():
    big = json.dumps({"title": "T", "text": "w " * 200_000}).encode()
    sources, dead, _ = run(read_json, dump(GOOD, big, GOOD))
    assert [len(s["text"]) for s in sources] == [4, 399_999, 4] and dead == []


@pytest.mark.parametrize("element, error_class", [
    (b"{bad}", "MalformedInput"),
    (b'{"title": "x"}', "MissingText"),
    (b"42", "MissingText"),
    (b'{"text": "caf\xe9"}', "UndecodableInput"),
    (b"[" * 100 + b"]" * 100, "TooDeep"),
    (b"[" * 50_000 + b"]" * 50_000, "TooDeep"),
    (b'{"text": "' + b"x" * 300_000 + b'"}', "TooLarge"),
])
def test_bad_element_is_dead_lettered_and_reading_goes_on(element, error_class):
    sources, dead, _ = run(read_json, dump(GOOD, element, GOOD), max_record_bytes=200_000)
    assert [s["source_position"] for s in sources] == [0, 2]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(1, error_class)]
    assert "dump" in dead[0]["message"] and len(dead[0]["raw_excerpt"]) <= 1000


def test_single_object_file(devdata):
    data = (devdata / "raw_formats/news-please/sample.json").read_bytes()
    sources, dead, _ = run(read_json, data)
    assert len(sources) == 1 and dead == [] and sources[0]["source_position"] is None


@pytest.mark.parametrize("data, error_class", [
    (b"", "EmptyInput"),
    (b"  \n", "EmptyInput"),
    (b"[]", "EmptyInput"),
    (b"hello", "MalformedInput"),
    (b'{"title": "x"', "MalformedInput"),
    (b"\x00\x00\x00\x00", "MalformedInput"),
])
def test_unusable_files(data, error_class):
    sources, dead, _ = run(read_json, data)
    assert sources == [] and [d["error_class"] for d in dead] == [error_class]


def test_truncated_array_keeps_complete_elements():
    sources, dead, _ = run(read_json, dump(GOOD, GOOD)[:-1] + b', {"title": "cut')
    assert len(sources) == 2
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "MalformedInput")]
    assert "truncated" in dead[0]["message"]


def test_missing_comma_stops_with_a_dead_letter():
    sources, dead, _ = run(read_json, b"[" + GOOD + b" " + GOOD + b"]")
    assert len(sources) == 1 and [d["error_class"] for d in dead] == ["MalformedInput"]
    assert "expected ','" in dead[0]["message"]


def test_truncated_small_json_gz_keeps_the_elements_before_the_break():
    elements = [json.dumps({"title": f"T{n}", "text": f"Mayor Carter {n * 7919} backed plan {n}, said {n * 31}."})
                for n in range(12)]
    data = gzip.compress(("[" + ",".join(elements) + "]").encode())
    stream = open_capped(io.BytesIO(data[: len(data) // 2]), "gzip", 1 << 30, "t.json.gz")
    sources, dead, _ = run(read_json, stream, "t.json.gz")
    assert sources and [s["title"] for s in sources] == [f"T{n}" for n in range(len(sources))]
    assert [d["error_class"] for d in dead] == ["CorruptInput"]


def test_json_lines_in_a_json_file_hint_at_jsonl():
    """Detection reads short JSON Lines named .json as jsonl; beyond the sniffed head, the message says so."""
    sources, dead, _ = run(read_json, GOOD + b"\n" + GOOD + b"\n", "x.json")
    assert sources == [] and "--input_format jsonl" in dead[0]["message"] and "x.json" in dead[0]["message"]
