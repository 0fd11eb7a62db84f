"""Build and run the newsbeam pipeline from parsed options."""
import time
from datetime import datetime, timezone

import apache_beam as beam

from pipeline import options as flags
from pipeline.io import ARTICLES_DIR, DEAD_LETTER, DEAD_LETTER_DIR, ReadSettings, ReadSources, WriteAvro
from pipeline.stages import IngestArticles, stamp_dead_letter
from pipeline.summary import Summary, summarize
from transforms.formats.fields import parse_field_map


def build(pipeline: beam.Pipeline, nb: flags.NewsbeamOptions, globs: list[str], run_started: datetime) -> None:
    """Read -> prepare -> annotate -> write, with every failure routed to the dead letters."""
    read = pipeline | "Read" >> ReadSources(globs, read_settings(nb))
    records, dead_letters = read.sources | "Ingest" >> IngestArticles(
        nb.model, run_started, nb.max_article_bytes, nb.nlp_batch_size, nb.dedupe
    )
    records | "WriteArticles" >> WriteAvro(nb.output, ARTICLES_DIR, "article", nb.avro_codec, nb.num_shards)
    (
        (read[DEAD_LETTER], dead_letters)
        | "AllDeadLetters" >> beam.Flatten()
        | "Stamp" >> beam.Map(stamp_dead_letter, run_started)
        | "WriteDeadLetters" >> WriteAvro(nb.output, DEAD_LETTER_DIR, "dead_letter", nb.avro_codec, nb.num_shards)
    )


def read_settings(nb: flags.NewsbeamOptions) -> ReadSettings:
    """The reader's settings from the parsed flags."""
    return ReadSettings(nb.input_format, parse_field_map(nb.field_map), nb.max_article_bytes,
                        nb.max_decompressed_bytes, nb.max_line_bytes)


def run(argv: list[str]) -> Summary:
    """Validate ``argv``, run the pipeline to completion and return its summary.

    Raises options.ConfigError before anything runs when an input or the output is unusable.
    """
    options = flags.parse(argv)
    nb = options.view_as(flags.NewsbeamOptions)
    globs = flags.expand_inputs(nb.input)
    flags.check_output_writable(nb.output)
    run_started = datetime.now(timezone.utc)
    clock = time.monotonic()
    pipeline = beam.Pipeline(options=options)
    build(pipeline, nb, globs, run_started)
    result = pipeline.run()
    result.wait_until_finish()
    return summarize(result, nb.output, time.monotonic() - clock)
