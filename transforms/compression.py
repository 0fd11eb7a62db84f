"""Transparent decompression by file suffix or magic bytes, with strict truncation checks.

Python's own gzip/bz2/zstd readers are used (not Beam's) because they raise on a truncated
stream instead of returning the bytes read so far.
"""
import bz2
import gzip
from typing import BinaryIO

import backports.zstd as zstd

from transforms.source import TooLarge

_OPENERS = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bzip2": lambda raw: bz2.BZ2File(raw, mode="rb"),
    "zstd": lambda raw: zstd.ZstdFile(raw, mode="rb"),
}
_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".zstd": "zstd"}
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\x28\xb5\x2f\xfd": "zstd"}


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
