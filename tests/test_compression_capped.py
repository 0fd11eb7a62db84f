"""The decompression cap and read-error explanations added to transforms.compression."""
import bz2
import gzip
import io

import pytest
import zstandard

from transforms.compression import compression_of, explain_read_error, open_capped
from transforms.source import CorruptInput, TooLarge, VanishedInput

PAYLOAD = b"line one\nline two\n" * 100
CODECS = [("gzip", gzip.compress), ("bzip2", bz2.compress), ("zstd", zstandard.compress), (None, lambda b: b)]


@pytest.mark.parametrize("kind, compress", CODECS)
def test_reads_within_the_cap(kind, compress):
    assert open_capped(io.BytesIO(compress(PAYLOAD)), kind, len(PAYLOAD), "f").read() == PAYLOAD


@pytest.mark.parametrize("kind, compress", CODECS)
def test_decompression_bomb_stops_at_the_cap(kind, compress):
    stream = open_capped(io.BytesIO(compress(b"\0" * 5_000_000)), kind, 100_000, "bomb")
    with pytest.raises(TooLarge, match="--max_decompressed_bytes"):
        while stream.read(65536):
            pass


@pytest.mark.parametrize("kind, compress", CODECS[:3])
def test_truncated_stream_is_corrupt_input(kind, compress):
    data = compress(bytes(range(256)) * 400)
    with pytest.raises(Exception) as caught:
        open_capped(io.BytesIO(data[: len(data) // 2]), kind, 1 << 30, "cut").read()
    assert isinstance(explain_read_error("cut", caught.value), CorruptInput)


def test_explain_read_error():
    assert isinstance(explain_read_error("f", FileNotFoundError("f")), VanishedInput)
    cap = TooLarge("read", "x")
    assert explain_read_error("f", cap) is cap
    assert "f is truncated" in str(explain_read_error("f", EOFError("eof")))


def test_compression_of_prefers_the_suffix_then_magic():
    assert compression_of("a.jsonl.gz") == "gzip"
    assert compression_of("noext", b"\x28\xb5\x2f\xfd") == "zstd"
    assert compression_of("a.json", b"{") is None


def test_truncated_small_gzip_delivers_the_lines_before_the_break():
    """A .gz smaller than one read buffer still gives its good lines, then the error (bzip2 and
    zstd decompress whole blocks, so a cut small file gives nothing before the error)."""
    payload = b"".join(b"line %d of the dump, value %d\n" % (n, n * 7919) for n in range(40))
    data = gzip.compress(payload)
    stream, lines = open_capped(io.BytesIO(data[: len(data) // 2]), "gzip", 1 << 30, "cut"), []
    with pytest.raises(Exception) as caught:
        while line := stream.readline():
            lines.append(line)
    assert isinstance(explain_read_error("cut", caught.value), CorruptInput)
    assert lines and all(line.endswith(b"\n") for line in lines) and payload.startswith(b"".join(lines))
