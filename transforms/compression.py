"""Transparent decompression by file suffix or magic bytes, with strict truncation checks.

Python's own gzip/bz2/zstd readers are used (not Beam's) because they raise on a truncated
stream instead of returning the bytes read so far.
"""
import bz2
import gzip
import io
import zlib
from typing import BinaryIO

import backports.zstd as zstd

from transforms.source import CorruptInput, InputError, TooLarge, VanishedInput

_OPENERS = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bzip2": lambda raw: bz2.BZ2File(raw, mode="rb"),
    "zstd": lambda raw: zstd.ZstdFile(raw, mode="rb"),
}
_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".zstd": "zstd"}
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\x28\xb5\x2f\xfd": "zstd"}

# What reading a damaged or vanished file raises; explain_read_error() says what to do.
READ_ERRORS = (OSError, EOFError, zlib.error, zstd.ZstdError)


def compression_of(name: str, head: bytes = b"") -> str | None:
    """gzip, bzip2, zstd or None, from the name's suffix or else the first bytes."""
    for suffix, kind in _SUFFIXES.items():
        if name.lower().endswith(suffix):
            return kind
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


def strip_compression_suffix(name: str) -> str:
    """'dump.jsonl.gz' -> 'dump.jsonl'."""
    lowered = name.lower()
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def open_decompressed(raw: BinaryIO, kind: str | None) -> BinaryIO:
    """A reader of the decompressed bytes of ``raw`` (``raw`` itself when ``kind`` is None)."""
    return _OPENERS[kind](raw) if kind else raw


def read_capped(stream: BinaryIO, limit: int, what: str) -> bytes:
    """Read at most ``limit`` bytes; raise TooLarge (stage ``read``) if there are more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge("read", f"{what} holds more than {limit:,} bytes; raise the cap if it is a real article")
    return data


class _Capped(io.RawIOBase):
    """A raw stream that raises TooLarge instead of delivering more than ``limit`` bytes."""

    def __init__(self, stream: BinaryIO, limit: int, what: str):
        self._stream, self._left, self._limit, self._what = stream, limit, limit, what
        # read1 returns what one step decompressed: a truncated stream then raises on the call
        # after the last good bytes, instead of dropping them with the error.
        self._read = getattr(stream, "read1", stream.read)

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise TooLarge("read", f"{self._what} decompresses to more than {self._limit:,} bytes "
                                   "(a decompression bomb?); raise --max_decompressed_bytes if it is genuine")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def open_capped(raw: BinaryIO, kind: str | None, limit: int, what: str) -> io.BufferedReader:
    """A buffered reader of ``raw`` decompressed (``kind`` as from compression_of) that raises
    TooLarge after ``limit`` bytes, so a bomb stops early instead of filling memory."""
    return io.BufferedReader(_Capped(open_decompressed(raw, kind), limit, what), buffer_size=1 << 16)


def explain_read_error(uri: str, error: BaseException) -> InputError:
    """The InputError for an error raised while reading ``uri``, saying what to do."""
    if isinstance(error, InputError):
        return error
    if isinstance(error, FileNotFoundError):
        return VanishedInput("read", f"{uri} disappeared between listing and reading ({error}); rerun once it is back")
    if isinstance(error, READ_ERRORS):
        return CorruptInput("read", f"{uri} is truncated or corrupt ({type(error).__name__}: {error}); re-download or recompress it")
    return error
