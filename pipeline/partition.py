"""Hive-style batch output: ``articles/published_date=YYYY-MM-DD/part-*.avro`` with fileio.WriteToFiles.

Undated articles go to ``published_date=__unknown__``. Streaming output goes through
``pipeline.windowed`` instead.
"""
import functools

import apache_beam as beam
import fastavro
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems

import schemas
from pipeline.io import make_dirs

UNKNOWN_DATE = "__unknown__"
PARTITION_KEY = "published_date"


def partition_of(record: dict) -> str:
    """``published_date=2017-10-17``, or ``published_date=__unknown__`` without a date."""
    day = record.get(PARTITION_KEY)
    return f"{PARTITION_KEY}={day.isoformat() if day else UNKNOWN_DATE}"


def partition_file_name(window, pane, shard_index, total_shards, compression, destination) -> str:
    """``<partition>/part-SSSSS-of-NNNNN.avro`` relative to the output directory."""
    name = fileio.default_file_naming("part", ".avro")(window, pane, shard_index, total_shards, compression, destination)
    return f"{destination}/{name}"


class AvroSink(fileio.FileSink):
    """Writes records of one destination into one Avro container file."""

    def __init__(self, schema_name: str, codec: str, directory: str, destination: str):
        self._schema = schemas.parsed(schema_name)
        self._codec = codec
        self._final_directory = FileSystems.join(directory, destination)
        self._writer = None

    def open(self, fh):
        # WriteToFiles renames into <directory>/<destination>/ but only creates <directory>;
        # filesystems with real directories need the partition directory first (object stores ignore this).
        make_dirs(self._final_directory)
        self._writer = fastavro.write.Writer(fh, self._schema, codec=self._codec)

    def write(self, record):
        self._writer.write(record)

    def flush(self):
        self._writer.flush()


class WritePartitionedAvro(beam.PTransform):
    """Records -> ``<output>/<directory>/published_date=.../part-*.avro``."""

    def __init__(self, output: str, directory: str, schema_name: str, codec: str, num_shards: int = 0):
        super().__init__()
        self.directory = FileSystems.join(output, directory)
        self.schema_name = schema_name
        self.codec = codec
        self.num_shards = num_shards
        self.prefix = "part"

    def expand(self, records):
        return records | fileio.WriteToFiles(
            path=self.directory,
            destination=partition_of,
            sink=functools.partial(AvroSink, self.schema_name, self.codec, self.directory),
            file_naming=partition_file_name,
            shards=self.num_shards or None,
        )
