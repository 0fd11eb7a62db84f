import bz2
import gzip
import io

import pytest
import zstandard

from transforms.formats.compression import open_decompressed, read_error, sniff_codec, strip_extension
from transforms.source import TooLarge

PAYLOAD = b"line one\nline two\n" * 100


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, zstandard.compress, lambda b: b])
def test_decompresses_by_magic_bytes(compress):
    stream = open_decompressed(io.BufferedReader(io.BytesIO(compress(PAYLOAD))), "f", 1 << 20)
    assert stream.read() == PAYLOAD


def test_concatenated_gzip_members():
    data = gzip.compress(b"a\n") + gzip.compress(b"b\n")
    assert open_decompressed(io.BufferedReader(io.BytesIO(data)), "f", 100).read() == b"a\nb\n"


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, zstandard.compress, lambda b: b])
def test_decompression_bomb_stops_at_the_cap(compress):
    bomb = compress(b"\0" * 5_000_000)
    stream = open_decompressed(io.BufferedReader(io.BytesIO(bomb)), "bomb.gz", 100_000)
    with pytest.raises(TooLarge, match="--max_decompressed_bytes"):
        while stream.read(65536):
            pass


def test_truncated_gzip_raises_a_read_error():
    data = gzip.compress(PAYLOAD * 100)
    stream = open_decompressed(io.BufferedReader(io.BytesIO(data[:-20])), "cut.gz", 1 << 30)
    with pytest.raises(EOFError) as caught:
        stream.read()
    assert "truncated" in str(read_error("cut.gz", caught.value))


@pytest.mark.parametrize("path, expected", [
    ("a.jsonl.gz", ("a.jsonl", "gzip")), ("a.WARC.GZ", ("a.WARC", "gzip")), ("a.json.zst", ("a.json", "zstd")),
    ("a.txt.bz2", ("a.txt", "bzip2")), ("a.txt", ("a.txt", None)),
])
def test_strip_extension(path, expected):
    assert strip_extension(path) == expected


def test_sniff_codec():
    assert [sniff_codec(h) for h in (b"\x1f\x8b\x08", b"BZh9", b"\x28\xb5\x2f\xfd", b"{")] == ["gzip", "bzip2", "zstd", None]
