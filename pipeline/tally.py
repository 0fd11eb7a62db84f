"""The summary's counters from the written Avro files, for runners without metrics (DaskRunner).

Gives what Beam's counters give for articles and dead letters, overall and per format:
``read`` is what was written plus what was dead-lettered. Duplicates dropped by ``--dedupe`` and
skipped non-article records leave no file, so they are not counted here.
"""
from collections import Counter

import fastavro
from apache_beam.io.filesystems import FileSystems

from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR

NOTE = ("counted from the written files (this runner reports no metrics); "
        "duplicates dropped by --dedupe and skipped records are not included")


def _records(output: str, directory: str, patterns: tuple[str, ...]):
    paths = sorted(metadata.path for result in FileSystems.match([FileSystems.join(output, directory, *p) for p in patterns])
                   for metadata in result.metadata_list if "/." not in metadata.path[len(output):])
    for path in paths:
        with FileSystems.open(path) as handle:
            yield from fastavro.reader(handle)


def counters_from_output(output: str) -> dict[str, int]:
    """newsbeam:* counters recomputed from ``<output>/articles`` (partitioned or not) and ``<output>/dead_letter``."""
    totals = Counter()
    for record in _records(output, ARTICLES_DIR, (("*.avro",), ("*", "*.avro"))):
        fmt = record["source_format"]
        totals.update({"written": 1, f"written_{fmt}": 1, "read": 1, f"read_{fmt}": 1,
                       "entities": len(record["entities"]), "quotes": len(record["quotes"])})
    for letter in _records(output, DEAD_LETTER_DIR, (("*.avro",),)):
        fmt = letter["source_format"] or "unknown"
        totals.update({"dead_lettered": 1, f"dead_lettered_{fmt}": 1, "read": 1, f"read_{fmt}": 1})
    return dict(totals)
