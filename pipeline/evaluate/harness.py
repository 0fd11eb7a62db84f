"""Run the real newsbeam pipeline on evaluation inputs and read its output back."""
import json
from pathlib import Path

import fastavro

from pipeline.io import ARTICLES_DIR, DEAD_LETTER_DIR
from pipeline.run import run


def read_gold(path: str | Path, limit: int | None = None) -> list[dict]:
    """The rows of a gold JSONL file (the first ``limit`` when given)."""
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


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
    run(argv + ["--output", str(output), "--overwrite", *extra_args])
    return read_avro_dir(output / ARTICLES_DIR), read_avro_dir(output / DEAD_LETTER_DIR)


def run_pipeline_on_jsonl(docs: list[dict], workdir: str | Path, extra_args: tuple[str, ...] = ()) -> tuple[dict[str, dict], list[str]]:
    """Write ``{"id", "text"[, "title"]}`` docs as one JSONL file and run the pipeline on it.

    Returns the records by ``source_id`` (the doc's id) and the ids of the docs that became
    dead letters (found by their line number)."""
    path = Path(workdir) / "gold.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    records, dead = run_pipeline([str(path)], workdir, extra_args)
    dead_ids = [docs[letter["source_position"] - 1]["id"] for letter in dead if letter["source_position"]]
    return {record["source_id"]: record for record in records}, dead_ids


def format_run(counts: dict) -> str:
    """One line on an evaluation's pipeline run: records, dead letters (by id), unmapped spans."""
    dead = ", ".join(counts["dead_letters"]) or "none"
    return f"pipeline: {counts['records']} records, dead letters: {dead}, unmapped spans: {counts['unmapped_spans']}"
