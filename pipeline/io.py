"""Reading inputs into source dicts, and writing articles and dead letters as Avro."""
import collections
import glob
import os

import apache_beam as beam
from apache_beam.io.avroio import WriteToAvro
from apache_beam.io.filesystem import CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

import schemas
from pipeline import progress
from pipeline.progress import ProgressSettings
from transforms.compression import compression_of, explain_read_error, open_capped
from transforms.formats import DEAD_LETTER as DEAD_LETTER_ITEM, SKIPPED, SOURCE
from transforms.formats.detect import detect_format
from transforms.formats.ranges import (COMPRESSION_RATIO, DEFAULT_SPLIT_BYTES, Part, count_newlines, in_share, number_ranges,
                                       plan_parts, read_jsonl_range)
from transforms.formats.reader import DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_LINE_BYTES, ReadSettings, read_items
from transforms.source import dead_letter, source

DEAD_LETTER = "dead_letter"
REASON = "dead_letter_reason_"  # + the error class: counter of dead letters by reason
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


def open_raw(uri: str):
    """The file's bytes as stored (no decompression)."""
    return FileSystems.open(uri, compression_type=CompressionTypes.UNCOMPRESSED)


def route_dead_letter(letter: dict) -> beam.pvalue.TaggedOutput:
    """Count a finished dead-letter dict and route it to the dead-letter output."""
    count("dead_lettered")
    count(f"dead_lettered_{letter.get('source_format') or 'unknown'}")
    count(REASON + letter["error_class"])
    return beam.pvalue.TaggedOutput(DEAD_LETTER, letter)


class _PlanFile(beam.DoFn):
    """One matched file -> its parts (``transforms.formats.ranges``): byte ranges, shares or the
    whole file (always, with ``split_bytes`` None). The file's format is detected here from its
    first bytes; a file that cannot be opened is one whole part, whose read dead-letters it."""

    def __init__(self, settings: ReadSettings, split_bytes: int | None):
        self._settings = settings
        self._split_bytes = split_bytes

    def process(self, metadata):
        uri, size, fmt = metadata.path, metadata.size_in_bytes, self._settings.input_format
        if self._split_bytes is None or size * COMPRESSION_RATIO <= self._split_bytes:  # whole whatever its format
            yield Part(uri, "file", fmt, 0, size, size=size)
            return
        try:
            with open_raw(uri) as handle:
                kind = compression_of(uri, handle.read(4))
                handle.seek(0)
                if fmt == "auto":
                    with open_capped(handle, kind, self._settings.max_decompressed_bytes, uri) as stream:
                        fmt = detect_format(uri, stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
        except Exception:  # the read reports it, with what to do
            yield Part(uri, "file", fmt, 0, size, size=size)
            return
        yield from plan_parts(uri, size, fmt, kind is not None, self._split_bytes)


def _count_lines(part: Part) -> tuple[Part, int, bool]:
    """A byte-range part with its newlines and whether it holds content; other parts pass."""
    if part.kind != "bytes":
        return part, 0, True
    with open_raw(part.uri) as handle:
        return (part, *count_newlines(handle, part.start, part.end))


def _number_all(keyed) -> list[Part]:
    """Every counted part of the run -> the parts to read, numbered (``ranges.number_ranges``)
    and largest first: the local runner deals them out to its workers in this order, so each
    gets about the same bytes and the small parts are left for the end."""
    by_file: dict[str, list] = {}
    for counted in keyed[1]:
        by_file.setdefault(counted[0].uri, []).append(counted)
    parts = []
    for counted in by_file.values():
        if counted[0][0].kind == "bytes":
            parts += number_ranges(counted)
        else:
            parts += [part for part, _, _ in counted]
    return sorted(parts, key=lambda p: (-p.input_bytes, p.uri, p.start))


class _ReadPart(beam.DoFn):
    """One part of an input file -> source dicts and dead letters, by its format (given or detected).

    Text and HTML files are one article each; JSONL, JSON and WARC files are streamed record by
    record. Every file is decompressed (.gz, .bz2, .zst) under --max_decompressed_bytes.
    """

    def __init__(self, settings: ReadSettings, progress_settings: ProgressSettings = ProgressSettings()):
        self._settings = settings
        self._progress = progress_settings

    def process(self, part: Part):
        self._articles = 0
        count(f"parts_{part.kind}")
        yield from self._read(part)
        progress.part_done(part.input_bytes)
        if part.kind == "file" and not self._articles:  # a split file's parts are not counted apart
            count("files_without_articles")

    def _read(self, part: Part):
        if part.kind == "bytes":
            yield from self._outputs(self._read_range(part))
            return
        uri, fmt = part.uri, part.fmt
        kind, head = None, b""
        try:
            with self._open(uri) as handle:
                kind = compression_of(uri, handle.read(4))
                handle.seek(0)
                with open_capped(handle, kind, self._settings.max_decompressed_bytes, uri) as stream:
                    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
                    if fmt == "auto":
                        fmt = detect_format(uri, head)
                    items = read_items(fmt, stream, uri, self._settings)
                    yield from self._outputs(in_share(items, part.start, part.end) if part.kind == "share" else items)
        except Exception as error:  # an unreadable file becomes a dead letter, never a crash
            if part.kind == "share" and part.start != 0:
                return  # every share met the same error: share 0 reports it
            fmt = detect_format(uri, b"") if fmt == "auto" else fmt  # by extension: the content was unreadable
            progress.input_read()
            count("read")
            count(f"read_{fmt}")
            size = None if kind or part.kind == "share" else part.end  # a compressed file's content size is unknown
            letter = dead_letter(source(uri, fmt), "read", explain_read_error(uri, error), raw=head, whole=False, size=size)
            yield route_dead_letter(letter)

    @staticmethod
    def _open(uri: str):
        """The file's raw bytes (a subclass may read something else, e.g. one object generation)."""
        return open_raw(uri)

    def _read_range(self, part: Part):
        settings = self._settings
        try:
            with open_raw(part.uri) as handle:
                yield from read_jsonl_range(handle, part.uri, part.start, part.end, part.lines_before,
                                            settings.field_map, settings.max_line_bytes)
        except Exception as error:  # the file vanished between planning and reading
            stub = source(part.uri, "jsonl", source_position=part.lines_before + 1)
            yield DEAD_LETTER_ITEM, dead_letter(stub, "read", explain_read_error(part.uri, error), raw=b"", whole=False)

    def _outputs(self, items):
        for kind, payload in items:
            if kind == SKIPPED:
                count(f"skipped_{payload}")
                continue
            progress.input_read()
            self._progress.report()
            self._articles += kind == SOURCE
            count("read")
            count(f"read_{payload['source_format']}")
            yield payload if kind == SOURCE else route_dead_letter(payload)


def match_largest_first(pattern: str) -> list:
    """The files ``pattern`` matches (FileMetadata), largest first (see ``_number_all``)."""
    found = FileSystems.match([pattern])[0].metadata_list
    return sorted(found + _unopenable(pattern, found), key=lambda m: (-m.size_in_bytes, m.path))


def _unopenable(pattern: str, found: list) -> list:
    """Local entries the match leaves out because they cannot be opened (a dangling symlink), as
    size 0: reading them gives a VanishedInput dead letter instead of losing them silently."""
    if FileSystems.get_scheme(pattern) not in (None, "file"):
        return []
    seen = {metadata.path for metadata in found}
    return [FileMetadata(path, 0) for path in sorted(glob.glob(pattern, recursive=True))
            if path not in seen and not os.path.exists(path) and os.path.islink(path)]


class ReadMatchedFiles(beam.PTransform):
    """File patterns or URIs -> source dicts (main output) and dead letters (output ``dead_letter``).

    Each file is cut into parts (``transforms.formats.ranges``); only the part descriptors cross
    the fusion breaks (Reshuffle), never file contents, so the parts of one big file spread
    over the workers and each worker's read fuses with the NLP of what it read.
    ``only``: read just these URIs among the matched files (``--incremental``'s new files);
    ``split_bytes`` None reads every file whole, behind the GroupByPath fusion break (streaming:
    a Reshuffle would drop late files, and a notification names one file at a time)."""

    def __init__(self, settings: ReadSettings, only: frozenset | None = None, split_bytes: int | None = DEFAULT_SPLIT_BYTES,
                 progress_settings: ProgressSettings = ProgressSettings()):
        super().__init__()
        self._settings = settings
        self._only = only
        self._split_bytes = split_bytes
        self._progress = progress_settings

    def expand(self, patterns):
        matched = patterns | "Match" >> beam.FlatMap(match_largest_first)
        if self._only is not None:
            matched = matched | "OnlyThese" >> beam.Filter(lambda metadata, only: metadata.path in only, self._only)
        parts = (
            matched
            | "ByPath" >> beam.Map(lambda metadata: (metadata.path, metadata))
            # overlapping --input patterns read a file once
            | "GroupByPath" >> beam.GroupByKey()
            | "OncePerFile" >> beam.Map(lambda path_and_matches: next(iter(path_and_matches[1])))
            | "Plan" >> beam.ParDo(_PlanFile(self._settings, self._split_bytes))
        )
        if self._split_bytes is not None:  # number the byte ranges (a parallel pass), then spread the parts
            parts = (
                parts
                | "SpreadCounts" >> beam.Reshuffle()
                | "CountLines" >> beam.Map(_count_lines)
                | "AllParts" >> beam.Map(lambda counted: (None, counted))
                | "GroupParts" >> beam.GroupByKey()
                | "Number" >> beam.FlatMap(_number_all)
                | "SpreadParts" >> beam.Reshuffle()  # the fusion break: each worker reads the parts it gets
            )
        return parts | "ReadParts" >> beam.ParDo(_ReadPart(self._settings, self._progress)).with_outputs(DEAD_LETTER, main="sources")


class ReadSources(beam.PTransform):
    """Globs -> source dicts (main output) and dead letters (output ``dead_letter``)."""

    def __init__(self, globs: list[str], settings: ReadSettings, only: frozenset | None = None,
                 split_bytes: int = DEFAULT_SPLIT_BYTES, progress_settings: ProgressSettings = ProgressSettings()):
        super().__init__()
        self._globs = globs
        self._settings = settings
        self._only = only
        self._split_bytes = split_bytes
        self._progress = progress_settings

    def expand(self, pbegin):
        return (pbegin | "Patterns" >> beam.Create(self._globs)
                | "ReadMatched" >> ReadMatchedFiles(self._settings, self._only, self._split_bytes, self._progress))


class WriteAvro(beam.PTransform):
    """Write dicts as Avro files ``<output>/<directory>/<prefix>-SSSSS-of-NNNNN.avro``."""

    def __init__(self, output: str, directory: str, schema_name: str, codec: str, num_shards: int = 0,
                 prefix: str = "part"):
        super().__init__()
        self.directory = FileSystems.join(output, directory)
        self.prefix = prefix
        self.schema_name = schema_name
        self.codec = codec
        self.num_shards = num_shards

    def expand(self, records):
        return records | WriteToAvro(
            FileSystems.join(self.directory, self.prefix),
            schema=schemas.load(self.schema_name),
            codec=self.codec,
            file_name_suffix=".avro",
            num_shards=self.num_shards,
        )
