"""JSON Lines dumps: one article object per line, read as a stream.

Lines are numbered from 1; blank lines are no inputs. A line longer than ``max_line_bytes`` is
skipped without being held in memory. A bad line becomes a dead letter naming its line number
and reading goes on with the next one.
"""
from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MissingText
from transforms.formats.fields import record_to_source
from transforms.formats.records_path import find_records, records_paths
from transforms.formats.jsonparse import MAX_DEPTH, MAX_RECORD_BYTES, loads
from transforms.source import EmptyInput, InputError, TooLarge, dead_letter, source

_CHUNK = 1 << 20


def _lines(fileobj, max_line_bytes: int):
    """``(line_number, bytes, size)``; an overlong line (``size > max_line_bytes``) yields only
    its first bytes, with the size of the whole line."""
    number = 0
    while True:
        line = fileobj.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        size, rest = len(line), line
        while size > max_line_bytes and rest and not rest.endswith(b"\n"):
            rest = fileobj.readline(_CHUNK)
            size += len(rest)
        yield number, line, size


def _record(record, uri: str, number: int, field_map):
    """The source of one line; a line that is an API response says how to read its articles."""
    try:
        return record_to_source(record, uri, "jsonl", number, field_map)
    except MissingText as error:
        found = find_records(record, records_paths(None))
        if not found:
            raise
        raise MissingText("read", f"{error}; the line is an API response holding {len(found[1])} records under "
                                  f"{found[0]}: put the responses in a JSON array (a .json file), whose pages "
                                  "are read record by record") from None


def read_jsonl(fileobj, uri: str, field_map: dict | None = None,
               max_line_bytes: int = MAX_RECORD_BYTES, max_depth: int = MAX_DEPTH):
    """``(kind, payload)`` items (see ``transforms.formats``) for a JSONL file object."""
    produced, number = False, 0
    try:
        for number, line, size in _lines(fileobj, max_line_bytes):
            too_long = size > max_line_bytes
            if not too_long and not line.strip():
                continue
            produced = True
            where = f"{uri} line {number}"
            stub = source(uri, "jsonl", source_position=number)
            try:
                if too_long:
                    raise TooLarge("read", f"{where}: longer than {max_line_bytes:,} bytes; "
                                           "split the record or raise --max_line_bytes")
                record = loads(line, where, max_depth)
                yield SOURCE, _record(record, uri, number, field_map)
            except InputError as error:
                yield DEAD_LETTER, dead_letter(stub, "read", error, raw=line, whole=False, size=size)
    except (*READ_ERRORS, InputError) as error:  # damaged stream or the decompression cap
        stub = source(uri, "jsonl", source_position=number + 1)
        yield DEAD_LETTER, dead_letter(stub, "read", explain_read_error(uri, error), raw=b"", whole=False)
        return
    if not produced:
        yield DEAD_LETTER, dead_letter(source(uri, "jsonl"), "read",
                                       EmptyInput("read", f"{uri}: holds no JSON lines; check the input pattern"), raw=b"", whole=False)
