"""Build and run the newsbeam pipeline from parsed options."""
import time
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.options.pipeline_options import StandardOptions

from pipeline import options as flags
from pipeline.io import ARTICLES_DIR, DEAD_LETTER, DEAD_LETTER_DIR, ReadSettings, ReadSources, WriteAvro
from pipeline.incremental import run_incremental
from pipeline.partition import WritePartitionedAvro
from pipeline.streaming import run_streaming
from pipeline.stages import IngestArticles, stamp_dead_letter
from pipeline.summary import Summary, summarize


def build(pipeline: beam.Pipeline, nb: flags.NewsbeamOptions, globs: list[str], run_started: datetime) -> None:
    """Read -> prepare -> annotate -> write, with every failure routed to the dead letters."""
    read = pipeline | "Read" >> ReadSources(globs, ReadSettings.from_options(nb))
    records, dead_letters = read.sources | "Ingest" >> IngestArticles(
        nb.model, run_started, nb.max_article_bytes, nb.nlp_batch_size, nb.dedupe
    )
    write = WritePartitionedAvro if nb.partition_by_date else WriteAvro
    records | "WriteArticles" >> write(nb.output, ARTICLES_DIR, "article", nb.avro_codec, nb.num_shards)
    (
        (read[DEAD_LETTER], dead_letters)
        | "AllDeadLetters" >> beam.Flatten()
        | "Stamp" >> beam.Map(stamp_dead_letter, run_started)
        | "WriteDeadLetters" >> WriteAvro(nb.output, DEAD_LETTER_DIR, "dead_letter", nb.avro_codec, nb.num_shards)
    )


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
    if not nb.incremental:
        flags.check_output_fresh(nb.output, nb.overwrite)
    if nb.incremental:
        return run_incremental(options, globs, execute)
    return execute(options, globs)


def execute(options, globs: list[str]) -> Summary:
    """Run the pipeline over ``globs`` into the options' --output and wait for it."""
    nb = options.view_as(flags.NewsbeamOptions)
    run_started = datetime.now(timezone.utc)
    clock = time.monotonic()
    pipeline = beam.Pipeline(options=options)
    build(pipeline, nb, globs, run_started)
    result = pipeline.run()
    result.wait_until_finish()
    return summarize(result, nb.output, time.monotonic() - clock)
