"""CSV and TSV tables with a header row: one article per row, as RFC 4180 has them.

Quoted fields may hold delimiters, doubled quotes and newlines; a UTF-8 byte-order mark is
dropped; the delimiter is a tab for TSV, else the one of ``, ; | tab`` the header line holds
most. Columns are matched like JSON keys (``transforms.formats.fields``, case-insensitively,
``--field_map`` included). Rows are numbered from 1 (the header is not counted). A table whose
header names no text column is one dead letter and its rows are not read. A cell over
``max_cell_bytes`` characters (an unclosed quote makes the rest of the file one cell) ends the
reading with a dead letter: where the next row starts is then unknown.
"""
import csv
import io
import re

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput, MissingText
from transforms.formats.fields import DEFAULT_FIELDS, has_text, record_to_source
from transforms.normalize import decode
from transforms.source import BinaryInput, EmptyInput, InputError, TooLarge, dead_letter, source

DELIMITERS = ",;|\t"
_UNDECODED = re.compile("[\udc80-\udcff]")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line holds most (a comma when it holds none)."""
    return max(DELIMITERS, key=header_line.count) if any(d in header_line for d in DELIMITERS) else ","


def _cell(value: str) -> str:
    """A cell's text; bytes that are not UTF-8 are read as cp1252, as in text files."""
    if "\x00" in value:
        raise BinaryInput("read", "holds NUL bytes, so it is binary, not text; check the file or pass the right --input_format")
    return decode(value.encode("utf-8", "surrogateescape")) if _UNDECODED.search(value) else value


def read_table(fileobj, uri: str, fmt: str = "csv", field_map: dict | None = None, max_cell_bytes: int = 1 << 24):
    """``(kind, payload)`` items (see ``transforms.formats``) for a CSV (``fmt`` csv) or TSV file."""
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", errors="surrogateescape", newline="")
    number, line = 0, ""
    try:
        lines = _lines(text, uri, max_cell_bytes)
        header_line = next(lines, "")
        if not header_line.strip():
            raise EmptyInput("read", f"{uri}: holds no header row; a table needs one naming its columns")
        delimiter = "\t" if fmt == "tsv" else sniff_delimiter(header_line)
        csv.field_size_limit(max_cell_bytes)  # process-wide; every reader of a run sets the same cap
        rows = csv.reader(_chain(header_line, lines), delimiter=delimiter)
        header = [_cell(name).strip() for name in next(rows)]
        if not has_text({name: "x" for name in header}, field_map):
            fields = {**DEFAULT_FIELDS, **(field_map or {})}
            raise MissingText("read", f"{uri}: no text column among {', '.join(fields['text'] + fields['html'])} "
                                      f"(columns: {', '.join(header[:30])}); name it with --field_map text=<column>")
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            line = delimiter.join(row)
            yield _row(row, header, uri, fmt, number, field_map, line)
    except csv.Error as error:
        yield DEAD_LETTER, _rest_letter(uri, fmt, number + 1, error, max_cell_bytes)
    except (*READ_ERRORS, InputError) as error:  # no header, damaged stream or the decompression cap
        position = number + 1 if number else None
        yield DEAD_LETTER, dead_letter(source(uri, fmt, source_position=position), "read",
                                       explain_read_error(uri, error), raw="", whole=False)


def _lines(text, uri: str, limit: int):
    """The lines of ``text``; ``TooLarge`` for one longer than ``limit`` characters, which is
    then never held in memory whole."""
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        if len(line) > limit:
            raise TooLarge("read", f"{uri}: a line is longer than {limit:,} characters; the rest of the file is "
                                   "not read: split it, or raise --max_line_bytes if it is genuine")
        yield line


def _chain(first: str, rest):
    yield first
    yield from rest


def _row(row, header, uri, fmt, number, field_map, line):
    stub = source(uri, fmt, source_position=number)
    try:
        if any(cell.strip() for cell in row[len(header):]):
            raise MalformedInput("read", f"{uri} row {number}: {len(row)} fields, but the header names {len(header)}; "
                                         "quote the fields that hold the delimiter")
        record = dict(zip(header, map(_cell, row)))
        return SOURCE, record_to_source(record, uri, fmt, number, field_map)
    except InputError as error:
        return DEAD_LETTER, dead_letter(stub, "read", error, raw=line)


def _rest_letter(uri, fmt, number, error, max_cell_bytes) -> dict:
    """The dead letter for a row the csv parser refused, and the rest of the file after it."""
    stub = source(uri, fmt, source_position=number)
    if "field larger" in str(error):
        problem = TooLarge("read", f"{uri} row {number}: a cell is larger than {max_cell_bytes:,} characters (or a quote "
                                   "is never closed); the rest of the file is not read: fix the quoting, or raise "
                                   "--max_line_bytes if the cell is genuine")
    else:
        problem = MalformedInput("read", f"{uri} row {number}: {error}; the rest of the file is not read: fix the row")
    return dead_letter(stub, "read", problem, raw="", whole=False)
