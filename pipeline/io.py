"""Reading inputs into source dicts, and writing articles and dead letters as Avro."""
import collections

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.avroio import WriteToAvro
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

import schemas
from transforms.compression import compression_of, explain_read_error, open_capped
from transforms.formats import SKIPPED, SOURCE
from transforms.formats.detect import detect_format
from transforms.formats.reader import DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_LINE_BYTES, ReadSettings, read_items
from transforms.source import dead_letter, source

DEAD_LETTER = "dead_letter"
NAMESPACE = "newsbeam"
ARTICLES_DIR = "articles"
DEAD_LETTER_DIR = "dead_letter"
_SNIFF_BYTES = 4096


# The same counts and gauges kept in this process, for a streaming job on the in-process local runner:
# there, a running job's Beam metrics keep the values of each step's first bundle (Beam 2.77).
LOCAL_COUNTS: collections.Counter = collections.Counter()
LOCAL_GAUGES: dict[str, int] = {}


def count(name: str, value: int = 1) -> None:
    """Add to the Beam counter newsbeam:<name>."""
    Metrics.counter(NAMESPACE, name).inc(value)
    LOCAL_COUNTS[name] += value


def gauge_max(name: str, value: int) -> None:
    """Set the Beam gauge newsbeam:<name>; locally keep the largest value set."""
    Metrics.gauge(NAMESPACE, name).set(value)
    LOCAL_GAUGES[name] = max(value, LOCAL_GAUGES.get(name, value))


def make_dirs(directory: str) -> None:
    """Create ``directory`` and its parents; nothing to do when it exists or the filesystem is
    an object store (which has no directories)."""
    try:
        FileSystems.mkdirs(directory)
    except IOError:
        pass


def dead_letter_output(src: dict, stage: str, error: BaseException, raw=None) -> beam.pvalue.TaggedOutput:
    """Count a failed input and route it to the dead-letter output."""
    return route_dead_letter(dead_letter(src, stage, error, raw))


def route_dead_letter(letter: dict) -> beam.pvalue.TaggedOutput:
    """Count a finished dead-letter dict and route it to the dead-letter output."""
    count("dead_lettered")
    count(f"dead_lettered_{letter.get('source_format') or 'unknown'}")
    return beam.pvalue.TaggedOutput(DEAD_LETTER, letter)


class _ReadFile(beam.DoFn):
    """One input file -> source dicts and dead letters, by its format (given or detected).

    Text and HTML files are one article each; JSONL, JSON and WARC files are streamed record by
    record. Every file is decompressed (.gz, .bz2, .zst) under --max_decompressed_bytes.
    """

    def __init__(self, settings: ReadSettings):
        self._settings = settings

    def process(self, readable: fileio.ReadableFile):
        uri = readable.metadata.path
        fmt = self._settings.input_format
        kind, head = None, b""
        try:
            with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                kind = compression_of(uri, handle.read(4))
                handle.seek(0)
                with open_capped(handle, kind, self._settings.max_decompressed_bytes, uri) as stream:
                    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
                    if fmt == "auto":
                        fmt = detect_format(uri, head)
                    yield from self._outputs(read_items(fmt, stream, uri, self._settings))
        except Exception as error:  # an unreadable file becomes a dead letter, never a crash
            fmt = detect_format(uri, b"") if fmt == "auto" else fmt  # by extension: the content was unreadable
            count("read")
            count(f"read_{fmt}")
            size = None if kind else readable.metadata.size_in_bytes  # a compressed file's content size is unknown
            letter = dead_letter(source(uri, fmt), "read", explain_read_error(uri, error), raw=head, whole=False, size=size)
            yield route_dead_letter(letter)

    @staticmethod
    def _outputs(items):
        for kind, payload in items:
            if kind == SKIPPED:
                count(f"skipped_{payload}")
                continue
            count("read")
            count(f"read_{payload['source_format']}")
            yield payload if kind == SOURCE else route_dead_letter(payload)


def match_largest_first(pattern: str) -> list:
    """The files ``pattern`` matches (FileMetadata), largest first.

    The local runner deals grouped files out to its workers in turn, in the order they come, so
    this order gives each worker about the same bytes and leaves the small files for the end
    instead of one long file on one worker while the other waits."""
    return sorted(FileSystems.match([pattern])[0].metadata_list, key=lambda m: (-m.size_in_bytes, m.path))


class ReadMatchedFiles(beam.PTransform):
    """File patterns or URIs -> source dicts (main output) and dead letters (output ``dead_letter``).

    ``only``: read just these URIs among the matched files (``--incremental``'s new files)."""

    def __init__(self, settings: ReadSettings, only: frozenset | None = None):
        super().__init__()
        self._settings = settings
        self._only = only

    def expand(self, patterns):
        matched = patterns | "Match" >> beam.FlatMap(match_largest_first)
        if self._only is not None:
            matched = matched | "OnlyThese" >> beam.Filter(lambda metadata, only: metadata.path in only, self._only)
        return (
            matched
            | "ByPath" >> beam.Map(lambda metadata: (metadata.path, metadata))
            # Group the matches (metadata only, never file contents) by path: overlapping --input
            # patterns read a file once, and the files spread over the workers instead of all
            # fusing behind one Create element, where one worker would do all the NLP.
            | "GroupByPath" >> beam.GroupByKey()
            | "OncePerFile" >> beam.Map(lambda path_and_matches: next(iter(path_and_matches[1])))
            | "Open" >> fileio.ReadMatches(skip_directories=True)
            | "ReadFiles" >> beam.ParDo(_ReadFile(self._settings)).with_outputs(DEAD_LETTER, main="sources")
        )


class ReadSources(beam.PTransform):
    """Globs -> source dicts (main output) and dead letters (output ``dead_letter``)."""

    def __init__(self, globs: list[str], settings: ReadSettings, only: frozenset | None = None):
        super().__init__()
        self._globs = globs
        self._settings = settings
        self._only = only

    def expand(self, pbegin):
        return pbegin | "Patterns" >> beam.Create(self._globs) | "ReadMatched" >> ReadMatchedFiles(self._settings, self._only)


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
