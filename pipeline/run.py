"""Build and run the newsbeam pipeline from parsed options."""
import time
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import DirectOptions, StandardOptions

from pipeline import options as flags
from pipeline.io import ARTICLES_DIR, DEAD_LETTER, DEAD_LETTER_DIR, ReadSettings, ReadSources, WriteAvro
from pipeline.incremental import run_incremental
from pipeline.partition import WritePartitionedAvro
from pipeline.progress import ProgressSettings, ReportProgress
from pipeline.replace import run_replacing
from pipeline.streaming import run_streaming
from pipeline.stages import IngestArticles, stamp_dead_letter
from pipeline.summary import Summary, summarize


def build(pipeline: beam.Pipeline, nb: flags.NewsbeamOptions, globs: list[str], run_started: datetime,
          output: str | None = None, only: frozenset | None = None) -> None:
    """Read -> prepare -> annotate -> write into ``output`` (default: --output), with every failure
    routed to the dead letters. ``only``: the file URIs to read among those the globs match."""
    output = output or nb.output
    reporting = progress_settings(pipeline.options, globs, only)
    read = pipeline | "Read" >> ReadSources(globs, ReadSettings.from_options(nb), only, nb.split_bytes, reporting)
    records, dead_letters = read.sources | "Ingest" >> IngestArticles.from_options(nb, run_started, merge_dead_letters=False)
    write = WritePartitionedAvro if nb.partition_by_date else WriteAvro
    (
        records
        | "Progress" >> beam.ParDo(ReportProgress(reporting))
        | "WriteArticles" >> write(output, ARTICLES_DIR, "article", nb.avro_codec, nb.num_shards)
    )
    # one write per stage, no Flatten: the local runner would hold a Flatten's input in memory
    for stage, letters in {"read": read[DEAD_LETTER], **dead_letters}.items():
        (
            letters
            | f"Stamp{stage.title()}" >> beam.Map(stamp_dead_letter, run_started)
            | f"WriteDeadLetters{stage.title()}" >> WriteAvro(output, DEAD_LETTER_DIR, "dead_letter", nb.avro_codec,
                                                              nb.num_shards, prefix=stage)
        )


def progress_settings(options, globs: list[str], only: frozenset | None) -> ProgressSettings:
    """Workers report unless --quiet; on the local runners with the ETA of an even share of the
    input bytes (the globs' files, or those in ``only``)."""
    nb = options.view_as(flags.NewsbeamOptions)
    if nb.quiet or options.view_as(StandardOptions).runner not in flags.LOCAL_RUNNERS:
        return ProgressSettings(quiet=nb.quiet)
    sizes = {m.path: m.size_in_bytes for result in FileSystems.match(globs) for m in result.metadata_list
             if only is None or m.path in only}
    workers = max(options.view_as(DirectOptions).direct_num_workers or 1, 1)
    return ProgressSettings(quiet=False, bytes_share=sum(sizes.values()) // workers or None)


def run(argv: list[str]) -> Summary:
    """Validate ``argv``, run the pipeline to completion and return its summary.

    Raises options.ConfigError before anything runs when an input or the output is unusable.
    """
    options = flags.parse(argv)
    nb = options.view_as(flags.NewsbeamOptions)
    if options.view_as(StandardOptions).streaming:
        flags.check_output_writable(nb.output)
        return run_streaming(options)
    globs = flags.expand_inputs(nb.input)
    flags.check_output_writable(nb.output)
    if nb.incremental:
        return run_incremental(options, globs, execute)
    flags.check_output_fresh(nb.output, nb.overwrite)
    return run_replacing(options, globs, execute)


def execute(options, globs: list[str], output: str | None = None, only: frozenset | None = None) -> Summary:
    """Run the pipeline over ``globs`` (only the files in ``only``, if given) into ``output``
    (default: --output) and wait for it."""
    nb = options.view_as(flags.NewsbeamOptions)
    output = output or nb.output
    run_started = datetime.now(timezone.utc)
    clock = time.monotonic()
    pipeline = beam.Pipeline(options=options)
    build(pipeline, nb, globs, run_started, output, only)
    if options.view_as(StandardOptions).runner == flags.DASK_RUNNER:
        from pipeline import dask  # imports dask, which other runners don't need

        dask.adapt(pipeline)
    result = pipeline.run()
    result.wait_until_finish()
    return summarize(result, output, time.monotonic() - clock)
