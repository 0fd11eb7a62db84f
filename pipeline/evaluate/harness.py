"""Run the real newsbeam pipeline on evaluation inputs and read its output back."""
import os
from pathlib import Path

import fastavro

from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR
from pipeline.run import run


def read_avro_dir(directory: str | Path) -> list[dict]:
    """All records of the Avro files in ``directory``."""
    records = []
    for path in sorted(Path(directory).glob("*.avro")):
        with open(path, "rb") as handle:
            records.extend(fastavro.reader(handle))
    return records


def run_pipeline(inputs: list[str], workdir: str | Path, extra_args: tuple[str, ...] = ()) -> tuple[list[dict], list[dict]]:
    """(article records, dead letters) of one local pipeline run over ``inputs``."""
    output = Path(workdir) / "out"
    argv = [arg for pattern in inputs for arg in ("--input", pattern)]
    run(argv + ["--output", str(output), *extra_args])
    return read_avro_dir(output / ARTICLES_DIR), read_avro_dir(output / DEAD_LETTER_DIR)


def run_pipeline_on_texts(docs: list[dict], workdir: str | Path, extra_args: tuple[str, ...] = ()) -> dict[str, dict]:
    """Write each ``{"id", "text"}`` as a text file, run the pipeline, return records by id."""
    input_dir = Path(workdir) / "input"
    input_dir.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (input_dir / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")
    records, _ = run_pipeline([str(input_dir) + os.sep], workdir, extra_args)
    return {Path(record["source_uri"]).name[: -len(".txt")]: record for record in records}
