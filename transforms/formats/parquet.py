"""Parquet tables: one article per row, read one row group at a time (bounded memory).

Parquet keeps its index at the end of the file, so the (decompressed) stream is first spooled
to a temporary file. Only the columns that the field names can match (``fields``, with
``--field_map``, case-insensitively) are read. Rows are numbered from 0 in file order. A table
without a text column is one dead letter and its rows are not read.
"""
import shutil
import tempfile

import pyarrow
import pyarrow.parquet as pq

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput, MissingText
from transforms.formats.fields import DEFAULT_FIELDS, has_text, record_to_source
from transforms.source import InputError, dead_letter, source

_IN_MEMORY = 16 << 20  # spooled files larger than this go to disk
_BATCH_ROWS = 256


def _columns(names: list[str], field_map: dict | None) -> list[str]:
    """The columns among ``names`` that a field name (its first dotted part) matches."""
    wanted = {name.split(".")[0].lower() for names in {**DEFAULT_FIELDS, **(field_map or {})}.values() for name in names}
    return [name for name in names if name.lower() in wanted]


def _value(value):
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("cp1252", errors="replace")
    return value


def read_parquet(fileobj, uri: str, field_map: dict | None = None):
    """``(kind, payload)`` items (see ``transforms.formats``) for a Parquet file object."""
    with tempfile.SpooledTemporaryFile(_IN_MEMORY) as spool:
        try:
            shutil.copyfileobj(fileobj, spool, 1 << 20)
        except (*READ_ERRORS, InputError) as error:  # damaged stream or the decompression cap
            yield DEAD_LETTER, _letter(uri, None, explain_read_error(uri, error))
            return
        spool.seek(0)
        yield from _rows(spool, uri, field_map)


def _rows(spool, uri: str, field_map: dict | None):
    position = 0
    try:
        table = pq.ParquetFile(spool)
        names = table.schema_arrow.names
        if not has_text({name: "x" for name in names}, field_map):
            fields = {**DEFAULT_FIELDS, **(field_map or {})}
            raise MissingText("read", f"{uri}: no text column among {', '.join(fields['text'] + fields['html'])} "
                                      f"(columns: {', '.join(names[:30])}); name it with --field_map text=<column>")
        for group in range(table.num_row_groups):
            for batch in table.iter_batches(_BATCH_ROWS, row_groups=[group], columns=_columns(names, field_map)):
                for row in batch.to_pylist():
                    record = {key: _value(value) for key, value in row.items()}
                    try:
                        yield SOURCE, record_to_source(record, uri, "parquet", position, field_map)
                    except InputError as error:
                        yield DEAD_LETTER, dead_letter(source(uri, "parquet", source_position=position), "read",
                                                       error, raw=repr(record))
                    position += 1
    except pyarrow.ArrowException as error:
        yield DEAD_LETTER, _letter(uri, position or None, MalformedInput(
            "read", f"{uri}: not a readable Parquet file ({error}); check the file or pass the right --input_format"))
    except InputError as error:
        yield DEAD_LETTER, _letter(uri, None, error)


def _letter(uri: str, position: int | None, error: InputError) -> dict:
    return dead_letter(source(uri, "parquet", source_position=position), "read", error, raw=b"", whole=False)
