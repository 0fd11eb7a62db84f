"""Windowed Avro output for streaming: one file per window, pane and shard, written atomically.

``fileio.WriteToFiles`` names files by window only, so a late pane overwrites the window's on-time
file; this writer groups each pane itself and names the file by window, pane and content:
``<dir>/[<partition>/]part-<window start>-<window end>-<pane>-<digest>-SSSSS-of-NNNNN.avro``,
``<digest>`` a hash of the records' keys. A retried bundle rewrites the same name, so retries
leave no duplicates; a restarted job, whose pane indexes start again at 0, never replaces an
earlier run's file unless it holds the same records.
"""
import hashlib
import posixpath
import uuid
import zlib

import apache_beam as beam
import fastavro
from apache_beam.io.filesystems import FileSystems

import schemas
from pipeline.io import count, gauge_max, make_dirs

WINDOW_TIME = "%Y%m%dT%H%M%SZ"


def window_file_name(window, pane_index: int, digest: str, shard: int, num_shards: int, partition: str = "") -> str:
    """Relative name of one pane's shard, e.g. ``part-20261128T000000Z-20261128T000500Z-0-3f9a0c1b2d4e-00000-of-00001.avro``."""
    start = window.start.to_utc_datetime().strftime(WINDOW_TIME)
    end = window.end.to_utc_datetime().strftime(WINDOW_TIME)
    name = f"part-{start}-{end}-{pane_index}-{digest}-{shard:05d}-of-{num_shards:05d}.avro"
    return posixpath.join(partition, name) if partition else name


def _keyed(record: dict, key_field: str, num_shards: int, partition):
    """((partition, shard), record); the shard is a stable hash of ``record[key_field]``."""
    shard = zlib.crc32(str(record[key_field]).encode("utf-8", "surrogatepass")) % num_shards
    return ((partition(record) if partition else ""), shard), record


def content_digest(records: list[dict], key_field: str) -> str:
    """12 hex digits of sha256 over the sorted ``key_field`` values: the same records give the same name."""
    keys = sorted(str(record[key_field]) for record in records)
    return hashlib.sha256("\n".join(keys).encode("utf-8", "surrogatepass")).hexdigest()[:12]


class _WritePane(beam.DoFn):
    def __init__(self, path: str, schema_name: str, codec: str, key_field: str, num_shards: int):
        self._path = path
        self._schema_name = schema_name
        self._codec = codec
        self._key_field = key_field
        self._num_shards = num_shards
        self._schema = None

    def setup(self):
        self._schema = schemas.parsed(self._schema_name)

    def process(self, element, window=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        (partition, shard), records = element
        records = list(records)
        name = window_file_name(window, pane.index, content_digest(records, self._key_field), shard, self._num_shards, partition)
        final = FileSystems.join(self._path, name)
        directory = posixpath.dirname(final)
        temporary = FileSystems.join(directory, f".{posixpath.basename(final)}.{uuid.uuid4().hex}.tmp")
        make_dirs(directory)
        with FileSystems.create(temporary) as handle:
            fastavro.writer(handle, self._schema, records, codec=self._codec)
        if FileSystems.exists(final):  # a retried bundle: replace the earlier attempt
            FileSystems.delete([final])
        FileSystems.rename([temporary], [final])
        count(f"filed_{self._schema_name}", len(records))
        gauge_max("filed_window_end", int(window.end.micros // 1_000_000))
        yield final


class WriteWindowedAvro(beam.PTransform):
    """Windowed records -> Avro files per window and pane; returns the written paths."""

    def __init__(self, output: str, directory: str, schema_name: str, codec: str, key_field: str,
                 num_shards: int = 1, partition=None):
        super().__init__()
        self._path = FileSystems.join(output, directory)
        self._schema_name = schema_name
        self._codec = codec
        self._key_field = key_field
        self._num_shards = max(num_shards, 1)
        self._partition = partition

    def expand(self, records):
        return (
            records
            | "Shard" >> beam.Map(_keyed, self._key_field, self._num_shards, self._partition)
            | "Pane" >> beam.GroupByKey()
            | "Write" >> beam.ParDo(_WritePane(self._path, self._schema_name, self._codec, self._key_field, self._num_shards))
        )
