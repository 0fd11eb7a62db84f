"""Every newsbeam flag, defined once; Beam's own options (--runner, ...) pass through."""
import argparse
import difflib
import importlib.util
import os

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipeline import environment, workers
from pipeline.errors import ConfigError
from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_LINE_BYTES
from transforms.formats.detect import FORMATS
from transforms.formats.fields import DEFAULT_FIELDS, parse_field_map
from transforms.formats.records_path import DEFAULT_RECORDS_PATHS, parse_records_path
from transforms import language
from transforms.formats.ranges import DEFAULT_SPLIT_BYTES, MIN_PART_BYTES, MIN_PARTS
from transforms.near_duplicates import DEFAULT_SHINGLE_WORDS, DEFAULT_THRESHOLD
from transforms.nlp import DEFAULT_MATMUL, DEFAULT_MODEL, MATMUL_LIBRARIES, MAX_BATCH_CHARS
from transforms.prepare import DEFAULT_MAX_ARTICLE_BYTES

AVRO_CODECS = ("null", "deflate", "snappy", "zstandard")
LOCAL_BATCH_RUNNER = "FnApiRunner"
LOCAL_STREAMING_RUNNER = "BundleBasedDirectRunner"
LOCAL_RUNNERS = (LOCAL_BATCH_RUNNER, LOCAL_STREAMING_RUNNER, "DirectRunner", "SwitchingDirectRunner", None)


def add_arguments(parser) -> None:
    """Add newsbeam's flags to an argparse parser (also used by NewsbeamOptions)."""
    parser.add_argument("--input", action="append", metavar="PATTERN",
                        help="File, directory or glob to read (local or gs://). Repeat for several. "
                             "Quote globs so the shell leaves them to newsbeam: --input 'seeds/*.txt'.")
    parser.add_argument("--output", metavar="DIR",
                        help="Output directory (local or gs://): Avro goes to DIR/articles/, dead letters to DIR/dead_letter/.")
    parser.add_argument("--model", action="append", metavar="[LANG=]PACKAGE",
                        help="spaCy model package to load on each worker for the articles of language LANG; repeat "
                             "for several (--model en=en_core_web_sm --model de=de_core_news_sm). A bare PACKAGE is "
                             "for the language its name starts with, else the one its meta.json declares. Articles "
                             "of other languages get no NLP (nlp_skipped_reason); those of unknown language go to the first "
                             f"model (default: en={DEFAULT_MODEL}).")
    parser.add_argument("--nlp_batch_size", type=int, default=16,
                        help=f"Articles per nlp.pipe batch; a batch also ends at {MAX_BATCH_CHARS:,} characters of body (default: 16).")
    parser.add_argument("--nlp_matmul", default=DEFAULT_MATMUL, choices=MATMUL_LIBRARIES,
                        help="Library for the model's matrix products: numpy (its BLAS, one thread per worker) "
                             f"or blis (spaCy's default, slow on CPUs the blis wheels don't know) (default: {DEFAULT_MATMUL}).")
    parser.add_argument("--max_article_bytes", type=int, default=DEFAULT_MAX_ARTICLE_BYTES,
                        help=f"Larger articles are dead-lettered as TooLarge (default: {DEFAULT_MAX_ARTICLE_BYTES:,}).")
    parser.add_argument("--input_format", default="auto", choices=("auto",) + FORMATS,
                        help="Format of every input: auto (default) detects it per file from the extension "
                             "(after .gz/.bz2/.zst) and else the content.")
    parser.add_argument("--field_map", default="", metavar="KEY=json_key[|json_key],...",
                        help="JSON keys (and CSV/TSV/Parquet columns) to read, e.g. 'title=headline,text=story|body'; "
                             f"KEY is one of {', '.join(DEFAULT_FIELDS)}. Defaults cover plain, news-please and "
                             "webhose-style dumps; dotted keys reach into objects (thread.url).")
    # issue 13: wrapped JSON, tables, feeds and SGML corpora
    parser.add_argument("--json_records_path", default="", metavar="PATH",
                        help="Where a JSON file wraps its article array, e.g. 'response.docs' or "
                             "'hits.hits[]._source' (each element's _source); by default "
                             f"{', '.join(DEFAULT_RECORDS_PATHS)} are tried, in a top-level object or in each "
                             "element of a top-level array of response pages.")
    parser.add_argument("--max_decompressed_bytes", type=int, default=DEFAULT_MAX_DECOMPRESSED_BYTES,
                        help="A file that decompresses to more is cut off there with a TooLarge dead letter "
                             f"(decompression bombs) (default: {DEFAULT_MAX_DECOMPRESSED_BYTES:,}).")
    parser.add_argument("--max_line_bytes", type=int, default=DEFAULT_MAX_LINE_BYTES,
                        help="Longer JSONL lines, JSON array elements and CSV/TSV lines are dead-lettered as TooLarge "
                             f"(default: {DEFAULT_MAX_LINE_BYTES:,}).")
    parser.add_argument("--dedupe", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="Write one record per distinct normalized title and body; duplicates are counted, "
                             "not written.")
    parser.add_argument("--avro_codec", default="deflate", choices=AVRO_CODECS,
                        help="Avro block compression (default: deflate).")
    parser.add_argument("--num_shards", type=int, default=0,
                        help="Output files per directory; 0 lets the runner decide (default: 0).")
    parser.add_argument("--subscription", metavar="projects/P/subscriptions/S",
                        help="With --streaming: Pub/Sub subscription of the input bucket's OBJECT_FINALIZE "
                             "notifications (JSON_API_V1); --input globs, if given, filter the objects.")
    parser.add_argument("--window_seconds", type=int, default=300,
                        help="With --streaming: output window length in seconds (default: 300).")
    parser.add_argument("--allowed_lateness_seconds", type=int, default=3600,
                        help="With --streaming: late notifications up to this age add a late file to their window (default: 3600).")
    # --streaming stop conditions (tests, one-off drains); 0 = run until stopped
    parser.add_argument("--max_messages", type=int, default=0, metavar="N",
                        help="With --streaming: stop once N Pub/Sub messages were received and everything received "
                             "is in a finished file (default: 0, no limit).")
    parser.add_argument("--max_seconds", type=int, default=0, metavar="S",
                        help="With --streaming: stop S seconds after the start, once everything received is in a "
                             "finished file (at the latest --window_seconds + 60 s later) (default: 0, no limit).")
    parser.add_argument("--overwrite", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="Replace the Avro files an earlier run left in DIR/articles and DIR/dead_letter once "
                             "this run has succeeded; without it a batch run refuses an --output that already holds output.")
    parser.add_argument("--incremental", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="Process only inputs that no earlier --incremental run into DIR processed "
                             "(ledger in DIR/_newsbeam/); each run commits atomically.")
    # one dump, every worker (docs/performance.md, "How a dump spreads")
    parser.add_argument("--split_bytes", type=int, default=DEFAULT_SPLIT_BYTES,
                        help="A file over this size is cut into parts that different workers read: uncompressed JSONL "
                             "in byte ranges of at most this size (smaller when that gives the file at least "
                             f"{MIN_PARTS} ranges of {MIN_PART_BYTES // 1024} KiB or more), compressed, JSON and WARC "
                             "files in shares, each worker decompressing the whole file and keeping every N-th record "
                             f"(default: {DEFAULT_SPLIT_BYTES:,}).")
    parser.add_argument("--quiet", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="No progress lines on stderr (workers print one every 15 s by default).")
    parser.add_argument("--partition_by_date", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="Write articles Hive-style to DIR/articles/published_date=YYYY-MM-DD/ "
                             "(undated articles to published_date=__unknown__/).")
    parser.add_argument("--worker_wheels", metavar="WHEELS_DIR",
                        help="With --runner DataflowRunner: stage the locked wheels, the model and newsbeam from "
                             "WHEELS_DIR (made by `make worker-wheels`), so that workers install without PyPI.")
    # issue 15: languages and near-duplicates
    parser.add_argument("--languages", default="", metavar="LANG,...",
                        help="Keep only articles in these languages (ISO 639 codes, e.g. en,de); the others are counted "
                             "(language_filtered) and not written, unless --keep_other_languages. Articles whose language "
                             "cannot be told are kept (default: every language).")
    parser.add_argument("--keep_other_languages", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="With --languages: write the articles of other languages too, without NLP "
                             "(nlp_skipped_reason = language_not_selected).")
    parser.add_argument("--near_duplicates", type=_flag, nargs="?", const=True, default=False, metavar="true|false",
                        help="Give every article copy_group and is_group_representative: groups of near-duplicate "
                             "(syndicated) copies by MinHash over word shingles with LSH banding.")
    parser.add_argument("--near_duplicate_threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=f"With --near_duplicates: estimated Jaccard similarity of two copies (default: {DEFAULT_THRESHOLD}).")
    parser.add_argument("--shingle_words", type=int, default=DEFAULT_SHINGLE_WORDS,
                        help=f"With --near_duplicates: words per shingle (default: {DEFAULT_SHINGLE_WORDS}).")


def _flag(value: str) -> bool:
    """``--flag``, ``--flag=true`` or ``--flag=false`` (Flex Templates pass every parameter with a value)."""
    if value.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")
    return value.lower() == "true"


class NewsbeamOptions(PipelineOptions):
    """newsbeam's flags as a Beam options view."""

    @classmethod
    def _add_argparse_args(cls, parser):
        add_arguments(parser)


def help_parser() -> argparse.ArgumentParser:
    """The parser behind ``python -m pipeline --help``."""
    parser = argparse.ArgumentParser(
        prog="newsbeam (or python -m pipeline)",
        description="newsbeam: read raw news articles, normalize them, tag section and date, extract "
                    "entities and quotes with spaCy, and write Avro records.",
        epilog="Any Apache Beam pipeline option passes through, e.g. --runner DataflowRunner, "
               "--direct_num_workers 2 --direct_running_mode multi_processing; --runner is one of "
               f"{', '.join(SUPPORTED_RUNNERS)}. Without --runner the job "
               f"runs locally on Beam's {LOCAL_BATCH_RUNNER} (the DirectRunner's batch engine) with no network access.",
    )
    add_arguments(parser)
    return parser


def parse(argv: list[str]) -> PipelineOptions:
    """Beam options for ``argv``, validated; raises ConfigError with what to fix."""
    options = _with_runner_options(argv)
    environment.check_versions()
    _check_flag_typos(options)
    nb = options.view_as(NewsbeamOptions)
    if options.view_as(StandardOptions).streaming:
        _check_streaming(nb)
    elif not nb.input:
        raise ConfigError("no --input given; pass at least one file, directory or glob, e.g. --input 'seeds/*.txt'")
    if not nb.output:
        raise ConfigError("no --output given; pass the directory to write Avro to, e.g. --output out/")
    if not 0 < nb.near_duplicate_threshold <= 1:
        raise ConfigError(f"--near_duplicate_threshold must be over 0 and at most 1, got {nb.near_duplicate_threshold}")
    for flag in ("nlp_batch_size", "max_article_bytes", "max_decompressed_bytes", "max_line_bytes", "split_bytes",
                 "shingle_words"):
        if getattr(nb, flag) < 1:
            raise ConfigError(f"--{flag} must be a positive number, got {getattr(nb, flag)}")
    if nb.num_shards < 0:
        raise ConfigError(f"--num_shards must be 0 (let the runner decide) or more, got {nb.num_shards}")
    for value in nb.model or [DEFAULT_MODEL]:
        environment.check_model(value.partition("=")[2] or value)
    try:
        language.parse_models(nb.model, DEFAULT_MODEL, environment.model_language)
        language.parse_languages(nb.languages)
        parse_field_map(nb.field_map)
        if nb.json_records_path:
            parse_records_path(nb.json_records_path)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    environment.check_dataflow(options)
    if nb.worker_wheels:
        workers.stage(options, nb.worker_wheels)
    workers.pin_setup_file(options)
    _choose_runner(options)
    return options


def _check_flag_typos(options: PipelineOptions) -> None:
    """Refuse a flag nobody knows that is close to one of ours (``--dedup`` for ``--dedupe``);
    flags far from ours pass through with Beam's warning, for runners that read their own."""
    ours = [action.dest for action in help_parser()._actions if action.dest != "help"]
    unknown = set(options.get_all_options(retain_unknown_options=True)) - set(options.get_all_options())
    for name in sorted(unknown):
        close = difflib.get_close_matches(name, ours, n=1, cutoff=0.8)
        if close:
            raise ConfigError(f"unknown flag --{name}; did you mean --{close[0]}? (python -m pipeline --help lists the flags)")


def _check_streaming(nb: NewsbeamOptions) -> None:
    if not nb.subscription:
        raise ConfigError("--streaming needs --subscription projects/P/subscriptions/S: the Pub/Sub subscription "
                          "of the input bucket's notifications")
    if nb.incremental:
        raise ConfigError("--incremental is for batch runs; a --streaming job reads each new object once by itself")
    if nb.near_duplicates:
        raise ConfigError("--near_duplicates needs the whole corpus at once: run it in batch, not with --streaming")
    if nb.window_seconds < 1 or nb.allowed_lateness_seconds < 0:
        raise ConfigError("--window_seconds must be positive and --allowed_lateness_seconds not negative")
    if nb.max_messages < 0 or nb.max_seconds < 0:
        raise ConfigError("--max_messages and --max_seconds must be 0 (no limit) or more")


# Runners: the --runner names newsbeam supports and what each becomes.
DASK_RUNNER = "pipeline.dask.DaskRunner"
DASK_RUNNER_NAMES = ("DaskRunner", "apache_beam.runners.dask.dask_runner.DaskRunner", DASK_RUNNER)
SUPPORTED_RUNNERS = ("DirectRunner", LOCAL_BATCH_RUNNER, LOCAL_STREAMING_RUNNER, "DataflowRunner", "DaskRunner")


def _with_runner_options(argv: list[str]) -> PipelineOptions:
    """Beam options for ``argv``; with a Dask runner, its module is imported first, since Beam
    drops --dask_client_address and the other Dask flags when DaskOptions is not defined yet."""
    options = environment.beam_options(argv)
    if options.view_as(StandardOptions).runner in DASK_RUNNER_NAMES:
        if importlib.util.find_spec("distributed") is None:
            raise ConfigError("--runner DaskRunner needs dask.distributed; install it with pip install 'newsbeam[dask]'")
        importlib.import_module("apache_beam.runners.dask.dask_runner")
        options = environment.beam_options(argv)
    return options


def _choose_runner(options: PipelineOptions) -> None:
    """Resolve --runner to a runner newsbeam supports, or raise ConfigError listing them.

    Locally without Prism (Beam's DirectRunner would first download it from the network); Dask
    through pipeline.dask, which works around what Beam's DaskRunner cannot run yet."""
    standard = options.view_as(StandardOptions)
    if standard.runner in (None, "DirectRunner", "SwitchingDirectRunner"):
        standard.runner = LOCAL_STREAMING_RUNNER if standard.streaming else LOCAL_BATCH_RUNNER
    elif standard.runner in DASK_RUNNER_NAMES:
        if standard.streaming:
            raise ConfigError("--streaming does not run on DaskRunner (Beam's Dask runner is batch only); "
                              "use the default runner or DataflowRunner for streaming")
        standard.runner = DASK_RUNNER
    elif standard.runner not in SUPPORTED_RUNNERS:
        raise ConfigError(f"unknown --runner {standard.runner!r}; newsbeam supports {', '.join(SUPPORTED_RUNNERS)}")


def expand_inputs(patterns: list[str]) -> list[str]:
    """Each pattern as a glob (a directory means every file below it); fails if one matches nothing."""
    globs = []
    for pattern in patterns:
        glob = FileSystems.join(pattern, "**") if _is_directory(pattern) else pattern
        try:
            matched = FileSystems.match([glob])[0].metadata_list
        except Exception as error:  # Beam raises BeamIOError subclasses per filesystem
            raise ConfigError(f"cannot list --input {pattern!r}: {error}{_remote_hint(pattern)}") from None
        if not matched:
            raise ConfigError(f"--input {pattern!r} matches no file; check the path, and quote globs so the shell does not expand them")
        globs.append(glob)
    return globs


def _is_directory(pattern: str) -> bool:
    if any(char in pattern for char in "*?["):
        return False
    if pattern.endswith("/"):
        return True
    if "://" in pattern:  # object stores have prefixes, not directories: gs://b/in means gs://b/in/*
        try:
            return not FileSystems.exists(pattern)
        except Exception:  # unreadable bucket: let the match report it
            return False
    return os.path.isdir(pattern)


def _remote_hint(path: str) -> str:
    """What to check when a remote path fails: the bucket and the Application Default Credentials."""
    if "://" not in path:
        return ""
    return ("; check that the bucket exists and that Application Default Credentials "
            "(gcloud auth application-default login, or the worker's service account) may access it")


def earlier_output(output: str) -> list[str]:
    """The files an earlier run left in DIR/articles and DIR/dead_letter."""
    return [metadata.path for directory in (ARTICLES_DIR, DEAD_LETTER_DIR)
            for metadata in FileSystems.match([FileSystems.join(output, directory, "**")])[0].metadata_list]


def check_output_fresh(output: str, overwrite: bool) -> None:
    """Refuse an --output that holds an earlier run's Avro files, unless --overwrite (the run
    replaces them once it has succeeded: ``pipeline.replace``)."""
    leftovers = earlier_output(output)
    if leftovers and not overwrite:
        raise ConfigError(f"--output {output!r} already holds {len(leftovers)} files of an earlier run "
                          f"(e.g. {leftovers[0]}); choose a new directory, delete them, or pass --overwrite to replace them")


def check_output_writable(output: str) -> None:
    """Write and delete a probe file in ``output``; raises ConfigError if that fails."""
    probe = FileSystems.join(output, ".newsbeam-write-check")
    try:
        if "://" not in output:
            os.makedirs(output, exist_ok=True)
        with FileSystems.create(probe) as handle:
            handle.write(b"ok")
        FileSystems.delete([probe])
    except Exception as error:
        raise ConfigError(f"cannot write to --output {output!r}: {error}; choose a writable directory{_remote_hint(output)}") from None
