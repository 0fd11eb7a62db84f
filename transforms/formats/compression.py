"""Transparent decompression (.gz, .bz2, .zst) with a cap on the decompressed size.

``open_decompressed`` picks the codec from the file's magic bytes (the extension may lie) and
returns a buffered binary file object that raises ``TooLarge`` once more than ``max_bytes``
have been decompressed, so a decompression bomb stops early instead of filling memory.
"""
import bz2
import gzip
import io
import zlib

import zstandard

from transforms.formats import UnreadableInput
from transforms.source import TooLarge

EXTENSIONS = {".gz": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".zstd": "zstd"}
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\x28\xb5\x2f\xfd", "zstd"))

# What reading a damaged or vanished file raises, turned into UnreadableInput by read_error().
READ_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


def strip_extension(path: str) -> tuple[str, str | None]:
    """``("a.jsonl", "gzip")`` for ``"a.jsonl.gz"``; ``(path, None)`` when not compressed."""
    lower = path.lower()
    for ext, codec in EXTENSIONS.items():
        if lower.endswith(ext):
            return path[: -len(ext)], codec
    return path, None


def sniff_codec(head: bytes) -> str | None:
    """The compression codec the first bytes announce, or None."""
    for magic, codec in _MAGIC:
        if head.startswith(magic):
            return codec
    return None


class _Capped(io.RawIOBase):
    """A raw stream that refuses to deliver more than ``max_bytes``."""

    def __init__(self, stream, max_bytes: int, uri: str):
        self._stream, self._left, self._max, self._uri = stream, max_bytes, max_bytes, uri

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise TooLarge("read", (
                f"{self._uri}: decompresses to more than {self._max:,} bytes (possible "
                "decompression bomb); raise --max_decompressed_bytes if the file is genuine"))
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def open_decompressed(fileobj, uri: str, max_bytes: int):
    """A buffered reader of ``fileobj`` decompressed by its magic bytes, capped at ``max_bytes``.

    ``fileobj`` must support ``peek`` or be seekable; plain files are passed through (capped).
    """
    head = fileobj.peek(4)[:4] if hasattr(fileobj, "peek") else _head(fileobj)
    codec = sniff_codec(head)
    if codec == "gzip":
        stream = gzip.GzipFile(fileobj=fileobj, mode="rb")
    elif codec == "bzip2":
        stream = bz2.BZ2File(fileobj, mode="rb")
    elif codec == "zstd":
        stream = zstandard.ZstdDecompressor().stream_reader(fileobj, read_across_frames=True)
    else:
        stream = fileobj
    return io.BufferedReader(_Capped(stream, max_bytes, uri), buffer_size=1 << 16)


def _head(fileobj) -> bytes:
    position = fileobj.tell()
    head = fileobj.read(4)
    fileobj.seek(position)
    return head


def read_error(uri: str, error: BaseException) -> UnreadableInput:
    """An ``UnreadableInput`` saying what broke while reading ``uri`` and what to do."""
    if isinstance(error, FileNotFoundError):
        hint = "the file disappeared after it was listed; re-run once the input set is stable"
    elif isinstance(error, (EOFError, zlib.error, zstandard.ZstdError)) or "gzip" in str(error).lower():
        hint = "the compressed stream is truncated or corrupt; re-fetch or re-compress the file"
    else:
        hint = "check that the file is readable and complete"
    return UnreadableInput("read", f"{uri}: cannot read past this point ({type(error).__name__}: {error}); {hint}")
