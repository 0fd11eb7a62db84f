"""Reading inputs into source dicts, and writing articles and dead letters as Avro."""
import zlib

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.avroio import WriteToAvro
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

import schemas
from transforms.compression import compression_of, open_decompressed, read_capped
from transforms.source import CorruptInput, VanishedInput, dead_letter, source

DEAD_LETTER = "dead_letter"
NAMESPACE = "newsbeam"
ARTICLES_DIR = "articles"
DEAD_LETTER_DIR = "dead_letter"


def count(name: str, value: int = 1) -> None:
    """Add to the Beam counter newsbeam:<name>."""
    Metrics.counter(NAMESPACE, name).inc(value)


def dead_letter_output(src: dict, stage: str, error: BaseException, raw=None) -> beam.pvalue.TaggedOutput:
    """Count a failed input and route it to the dead-letter output."""
    count("dead_lettered")
    count(f"dead_lettered_{src.get('source_format') or 'unknown'}")
    return beam.pvalue.TaggedOutput(DEAD_LETTER, dead_letter(src, stage, error, raw))


class _ReadTextFile(beam.DoFn):
    """One article per text file; compressed files (.gz, .bz2, .zst) are decompressed."""

    def __init__(self, max_article_bytes: int):
        self._max_bytes = max_article_bytes

    def process(self, readable: fileio.ReadableFile):
        uri = readable.metadata.path
        count("read")
        count("read_text")
        src = source(uri, "text")
        try:
            with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                head = handle.read(4)
                handle.seek(0)
                with open_decompressed(handle, compression_of(uri, head)) as stream:
                    raw = read_capped(stream, self._max_bytes, f"{uri} (--max_article_bytes)")
        except Exception as error:  # any unreadable file becomes a dead letter, never a crash
            yield dead_letter_output(src, "read", _explain_read_error(uri, error))
            return
        src["raw"] = raw
        yield src


def _explain_read_error(uri: str, error: Exception) -> Exception:
    """Say what to do about the errors a damaged or vanished file gives."""
    if isinstance(error, FileNotFoundError):
        return VanishedInput("read", f"{uri} disappeared between listing and reading ({error}); rerun once it is back")
    if isinstance(error, (EOFError, OSError, zlib.error)):
        return CorruptInput("read", f"{uri} is truncated or corrupt ({type(error).__name__}: {error}); re-download or recompress it")
    return error


class ReadSources(beam.PTransform):
    """Globs -> source dicts (main output) and dead letters (output ``dead_letter``)."""

    def __init__(self, globs: list[str], max_article_bytes: int):
        super().__init__()
        self._globs = globs
        self._max_article_bytes = max_article_bytes

    def expand(self, pbegin):
        return (
            pbegin
            | "Patterns" >> beam.Create(self._globs)
            | "Match" >> fileio.MatchAll()
            # Spread the matched files (metadata only, never their contents) over the workers:
            # without this the whole read-prepare-annotate-write chain fuses behind the single
            # Create element and one worker does all the NLP.
            | "SpreadFiles" >> beam.Reshuffle()
            | "Open" >> fileio.ReadMatches(skip_directories=True)
            | "ReadText" >> beam.ParDo(_ReadTextFile(self._max_article_bytes)).with_outputs(DEAD_LETTER, main="sources")
        )


class WriteAvro(beam.PTransform):
    """Write dicts as Avro files ``<output>/<directory>/part-SSSSS-of-NNNNN.avro``."""

    def __init__(self, output: str, directory: str, schema_name: str, codec: str, num_shards: int = 0):
        super().__init__()
        self._prefix = FileSystems.join(output, directory, "part")
        self._schema_name = schema_name
        self._codec = codec
        self._num_shards = num_shards

    def expand(self, records):
        return records | WriteToAvro(
            self._prefix,
            schema=schemas.load(self._schema_name),
            codec=self._codec,
            file_name_suffix=".avro",
            num_shards=self._num_shards,
        )
