"""Byte ranges and shares of one file give exactly the items of a whole-file read."""
import io
import json

import pytest

from tests.formats_helpers import run as run_reader
from transforms.formats import DEAD_LETTER, SOURCE
from transforms.formats.json_array import read_json
from transforms.formats.jsonl import read_jsonl
from transforms.formats.ranges import (DEFAULT_SPLIT_BYTES, MAX_SHARES, MIN_PARTS, Part, count_newlines, in_share, number_ranges, owned_lines,
                                       plan_parts, read_jsonl_range)

GOOD = json.dumps({"title": "T", "text": "Body of the article"}).encode()
OTHER = json.dumps({"title": "U", "text": "Another body, a little longer than the first one"}).encode()
LONG = json.dumps({"title": "L", "text": "x" * 300}).encode()

DUMPS = {
    "plain": GOOD + b"\n" + OTHER + b"\n" + GOOD + b"\n",
    "no final newline": GOOD + b"\n" + OTHER,
    "crlf": GOOD + b"\r\n" + OTHER + b"\r\n\r\n" + GOOD + b"\r\n",
    "bad lines": GOOD + b"\n{bad json\n" + OTHER + b"\n[1, 2]\n{}\n" + GOOD,
    "blank lines": b"\n\n" + GOOD + b"\n  \n\n" + OTHER + b"\n\n",
    "overlong line": GOOD + b"\n" + LONG + b"\n" + OTHER + b"\n",
    "one line": GOOD,
    "whitespace only": b"\n \n\t\n",
}


def split_read(data: bytes, split_bytes: int, max_line_bytes: int = 200) -> list:
    """Plan, count, number and read the ranges of ``data`` as the pipeline does, in order."""
    parts = plan_parts("dump", len(data), "jsonl", False, split_bytes)
    if parts[0].kind == "bytes":
        parts = number_ranges([(part, *count_newlines(io.BytesIO(data), part.start, part.end)) for part in parts])
    items = []
    for part in parts:
        stream = io.BufferedReader(io.BytesIO(data))
        if part.kind == "bytes":
            items += read_jsonl_range(stream, "dump", part.start, part.end, part.lines_before, max_line_bytes=max_line_bytes)
        else:
            items += read_jsonl(stream, "dump", max_line_bytes=max_line_bytes)
    return items


def whole_read(data: bytes, max_line_bytes: int = 200) -> list:
    return list(read_jsonl(io.BufferedReader(io.BytesIO(data)), "dump", max_line_bytes=max_line_bytes))


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_every_split_reads_what_the_whole_file_holds(name):
    data = DUMPS[name]
    expected = whole_read(data)
    for split_bytes in range(1, len(data) + 2):  # every boundary position, one byte ranges included
        assert split_read(data, split_bytes) == expected, f"split_bytes={split_bytes}"


@pytest.mark.parametrize("data, start, end, lines_before, numbers", [
    (b"a\nb\nc\n", 0, 1, 0, [1]),          # a range owns the line starting in it ...
    (b"a\nb\nc\n", 1, 2, 0, []),           # ... not the one that merely ends in it
    (b"a\nb\nc\n", 2, 3, 1, [2]),          # a range starting right after a newline owns that line
    (b"a\nb\nc\n", 1, 3, 0, [2]),
    (b"aaaa\nb\n", 2, 6, 0, [2]),          # starting inside a line: the next line, numbered after it
    (b"aaaa\nb\n", 2, 4, 0, []),           # a range inside one line owns nothing
    (b"a\r\nb\r\n", 2, 4, 0, [2]),         # CRLF: the line starts after the \n
    (b"a\nb", 2, 3, 1, [2]),               # a last line without a newline
    (b"a\nb", 3, 4, 1, []),
])
def test_owned_lines(data, start, end, lines_before, numbers):
    lines = owned_lines(io.BufferedReader(io.BytesIO(data)), start, end, lines_before, 100)
    assert [number for number, _, _ in lines] == numbers


def test_a_bad_line_across_a_boundary_is_one_dead_letter():
    data = GOOD + b"\n{bad json " + b"y" * 50 + b"\n" + OTHER + b"\n"
    boundary = len(GOOD) + 10  # inside the bad line
    items = split_read(data, boundary)
    dead = [payload for kind, payload in items if kind == DEAD_LETTER]
    assert [(d["source_position"], d["error_class"]) for d in dead] == [(2, "MalformedInput")]
    assert [p["source_position"] for kind, p in items if kind == SOURCE] == [1, 3]


@pytest.mark.parametrize("size, fmt, compressed, split_bytes, kinds", [
    (100, "jsonl", False, 40, ["bytes"] * 3),
    (100, "jsonl", False, 100, ["file"]),          # not over the split size: read whole
    (100, "jsonl", True, 40, ["share"] * 10),      # compressed: shares, by the estimated decompressed size
    (100, "json", False, 40, ["share"] * 3),
    (100, "warc", True, 1000, ["file"]),
    (100, "csv", False, 50, ["share"] * 2),           # every format of several records shares
    (100, "text", False, 1, ["file"]),             # one article: never cut
    (100, "html", True, 1, ["file"]),
    (10**12, "jsonl", True, 1, ["share"] * MAX_SHARES),
    # at least MIN_PARTS parts of MIN_PART_BYTES or more, so that the workers' shares are even
    (7_404_509, "jsonl", False, DEFAULT_SPLIT_BYTES, ["bytes"] * MIN_PARTS),       # the benchmark dump
    (500_000, "jsonl", False, DEFAULT_SPLIT_BYTES, ["bytes"] * 31),                # parts of MIN_PART_BYTES
    (100 * DEFAULT_SPLIT_BYTES, "jsonl", False, DEFAULT_SPLIT_BYTES, ["bytes"] * 100),  # parts of --split_bytes
    (200_000, "jsonl", False, DEFAULT_SPLIT_BYTES, ["file"]),                      # not over --split_bytes
    (1_000_000, "jsonl", True, DEFAULT_SPLIT_BYTES, ["share"] * MAX_SHARES),
    (100_000, "json", True, DEFAULT_SPLIT_BYTES, ["share"] * 25),
])
def test_plan_parts(size, fmt, compressed, split_bytes, kinds):
    parts = plan_parts("f", size, fmt, compressed, split_bytes)
    assert [part.kind for part in parts] == kinds
    if kinds[0] == "bytes":
        assert parts[0].start == 0 and parts[-1].end == size
        assert all(a.end == b.start for a, b in zip(parts, parts[1:]))


def test_numbering_counts_newlines_of_the_ranges_before():
    parts = [Part("f", "bytes", "jsonl", start, start + 10) for start in (20, 0, 10)]
    counted = [(parts[0], 1, True), (parts[1], 3, True), (parts[2], 0, False)]
    assert [(p.start, p.lines_before) for p in number_ranges(counted)] == [(0, 0), (10, 3), (20, 3)]


def test_a_whitespace_file_is_read_whole_for_its_empty_input_dead_letter():
    parts = [Part("f", "bytes", "jsonl", 0, 4, size=6), Part("f", "bytes", "jsonl", 4, 6, size=6)]
    assert number_ranges([(parts[0], 2, False), (parts[1], 1, False)]) == [Part("f", "file", "jsonl", 0, 6, size=6)]


@pytest.mark.parametrize("shares", [1, 2, 3, 7])
def test_shares_partition_the_items(shares):
    values = [{"title": f"t{i}", "text": f"body {i}"} if i % 3 else i for i in range(20)]
    data = json.dumps(values).encode()
    whole = list(read_json(io.BufferedReader(io.BytesIO(data)), "dump"))
    shared = [item for share in range(shares)
              for item in in_share(read_json(io.BufferedReader(io.BytesIO(data)), "dump"), share, shares)]
    key = lambda item: item[1]["source_position"]  # noqa: E731
    assert sorted(shared, key=key) == sorted(whole, key=key)


def test_an_empty_file_in_shares_is_one_empty_input():
    dead = [item for share in range(3)
            for item in in_share(read_jsonl(io.BufferedReader(io.BytesIO(b"\n")), "dump"), share, 3)]
    assert [payload["error_class"] for _, payload in dead] == ["EmptyInput"]


def test_helper_matches_the_reader_helper():
    sources, dead, _ = run_reader(read_jsonl, DUMPS["bad lines"])
    items = split_read(DUMPS["bad lines"], 7)
    assert len(items) == len(sources) + len(dead)
