"""One input file cut into parts that different workers read, with the same items as a whole read.

A part is a plain descriptor (``Part``), never file contents:

- ``file``: the whole file, read as ``transforms.formats.reader`` reads it;
- ``bytes``: the byte range [start, end) of an uncompressed JSONL file. A range owns the lines
  that *start* in it (a line starts at 0 or after a newline), so a line across a boundary is
  read once, by the range it starts in. Lines keep the numbers of a whole-file read: a range
  is told how many newlines precede it (``number_ranges`` over ``count_newlines`` of each range);
- ``share``: share ``start`` of ``end`` of a file that cannot be cut at byte offsets
  (compressed, JSON array, WARC, CSV, Parquet, ...). Every share decompresses and reads the whole file and keeps
  the items whose index modulo ``end`` is ``start``: decompressing and parsing is far cheaper
  than the NLP the share saves on the other workers, and memory stays bounded.
"""
import math
from typing import NamedTuple

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE
from transforms.formats.jsonl import _lines, _record
from transforms.formats.jsonparse import MAX_DEPTH, MAX_RECORD_BYTES, loads
from transforms.source import InputError, TooLarge, dead_letter, source

DEFAULT_SPLIT_BYTES = 256 << 10
MIN_PARTS = 64  # a file is cut into at least this many parts when they can be MIN_PART_BYTES or more
MIN_PART_BYTES = 16 << 10
MAX_SHARES = 32  # every share decompresses the whole file: the cost grows with the count
COMPRESSION_RATIO = 4  # estimated decompressed bytes per compressed byte of a news dump
WHOLE_FORMATS = ("text", "html", "auto")  # one article per file (auto: a file whose format is unknown)
_CHUNK = 1 << 20
_WHITESPACE = b" \t\n\r\x0b\x0c"


class Part(NamedTuple):
    uri: str
    kind: str  # file | bytes | share
    fmt: str  # a format of transforms.formats.detect, or auto (decided when read)
    start: int  # byte offset, or the share index
    end: int  # byte offset (the size for ``file``), or the share count
    lines_before: int = 0  # ``bytes``: newlines in the file before ``start``
    size: int = 0  # the file's size in bytes

    @property
    def input_bytes(self) -> int:
        """The file bytes this part stands for (a share: its fraction of the file)."""
        return self.size // self.end if self.kind == "share" else self.end - self.start


def part_bytes(size: int, split_bytes: int) -> int:
    """The bytes per part of a file of ``size`` bytes: ``split_bytes`` at most, and less when that
    leaves the file fewer than MIN_PARTS parts (but not under MIN_PART_BYTES). The local runner
    deals the parts out to its workers in turn, so a worker may get one part more than another:
    with 29 parts of 256 KiB a 7.4 MB dump left one of 2 workers 7 % more work."""
    return min(split_bytes, max(MIN_PART_BYTES, math.ceil(size / MIN_PARTS)))


def plan_parts(uri: str, size: int, fmt: str, compressed: bool, split_bytes: int) -> list[Part]:
    """The parts of a file of ``size`` bytes in format ``fmt`` (auto if unknown) whose content
    (estimated when ``compressed``) is over ``split_bytes``: byte ranges of ``part_bytes`` for an
    uncompressed JSONL file, shares for the other formats of several records (JSON, WARC,
    CSV/TSV, Parquet, feeds, SGML); else the whole file. Depends on the file alone, never on
    the number of workers."""
    content = size * (COMPRESSION_RATIO if compressed else 1)
    if fmt in WHOLE_FORMATS or content <= split_bytes:
        return [Part(uri, "file", fmt, 0, size, size=size)]
    step = part_bytes(content, split_bytes)
    if fmt == "jsonl" and not compressed:
        return [Part(uri, "bytes", fmt, start, min(start + step, size), size=size) for start in range(0, size, step)]
    shares = min(MAX_SHARES, math.ceil(content / step))
    return [Part(uri, "share", fmt, index, shares, size=size) for index in range(shares)]


def count_newlines(fileobj, start: int, end: int) -> tuple[int, bool]:
    """``(newlines, holds_content)`` of bytes [start, end) of a seekable binary file:
    ``holds_content`` is False when they are all ASCII whitespace."""
    fileobj.seek(start)
    newlines, content, left = 0, False, end - start
    while left > 0:
        chunk = fileobj.read(min(_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        newlines += chunk.count(b"\n")
        content = content or bool(chunk.translate(None, _WHITESPACE))
    return newlines, content


def number_ranges(counted: list[tuple[Part, int, bool]]) -> list[Part]:
    """The byte-range parts of one file, given ``(part, newlines, holds_content)`` for each,
    with ``lines_before`` set; a file of whitespace only is read whole (its EmptyInput dead letter)."""
    counted = sorted(counted, key=lambda item: item[0].start)
    if not any(content for _, _, content in counted):
        first = counted[0][0]
        return [Part(first.uri, "file", first.fmt, 0, first.size, size=first.size)]
    parts, before = [], 0
    for part, newlines, _ in counted:
        parts.append(part._replace(lines_before=before))
        before += newlines
    return parts


def owned_lines(fileobj, start: int, end: int, lines_before: int, max_line_bytes: int):
    """``(line_number, bytes, size)`` of the lines starting in [start, end) of a seekable binary
    file, numbered as in a whole-file read; overlong lines as in ``jsonl._lines``."""
    position, number = start, lines_before + 1
    if start > 0:  # skip the rest of the line that started before the range
        fileobj.seek(start - 1)
        skipped = _skip_line(fileobj)
        if skipped is None:
            return
        position += skipped - 1
        number += skipped > 1  # the newline that ended it is inside the range
    for offset, line, size in _lines(fileobj, max_line_bytes):
        if position >= end:
            return
        yield number + offset - 1, line, size
        position += size


def _skip_line(fileobj) -> int | None:
    """Read to just after the next newline; its byte count, or None at the end of the file."""
    skipped = 0
    while True:
        piece = fileobj.readline(_CHUNK)
        skipped += len(piece)
        if piece.endswith(b"\n"):
            return skipped
        if not piece:
            return None


def read_jsonl_range(fileobj, uri: str, start: int, end: int, lines_before: int, field_map: dict | None = None,
                     max_line_bytes: int = MAX_RECORD_BYTES, max_depth: int = MAX_DEPTH):
    """``(kind, payload)`` items of the JSONL lines starting in [start, end), as ``read_jsonl``
    gives them for the whole file (an empty file is left to a whole read: see ``number_ranges``)."""
    number = lines_before
    try:
        for number, line, size in owned_lines(fileobj, start, end, lines_before, max_line_bytes):
            if size <= max_line_bytes and not line.strip():
                continue
            yield jsonl_line_item(line, size, uri, number, field_map, max_line_bytes, max_depth)
    except READ_ERRORS as error:  # the file vanished or changed under the run
        stub = source(uri, "jsonl", source_position=number + 1)
        yield DEAD_LETTER, dead_letter(stub, "read", explain_read_error(uri, error), raw=b"", whole=False)


def jsonl_line_item(line: bytes, size: int, uri: str, number: int, field_map: dict | None,
                    max_line_bytes: int, max_depth: int) -> tuple[str, dict]:
    """The item of JSONL line ``number`` (``size`` bytes, of which ``line`` holds the first)."""
    where = f"{uri} line {number}"
    try:
        if size > max_line_bytes:
            raise TooLarge("read", f"{where}: longer than {max_line_bytes:,} bytes; split the record or raise --max_line_bytes")
        return SOURCE, _record(loads(line, where, max_depth), uri, number, field_map)
    except InputError as error:
        return DEAD_LETTER, dead_letter(source(uri, "jsonl", source_position=number), "read", error,
                                        raw=line, whole=False, size=size)


def in_share(items, share: int, shares: int):
    """The items of share ``share`` of ``shares``: those whose index modulo ``shares`` is ``share``."""
    for index, item in enumerate(items):
        if index % shares == share:
            yield item
