"""Exact-day accuracy of ``published_date`` on the htmldate sample of news pages.

The gold pages go into one WARC file with their URLs and through the real pipeline. A page
without a record or without a date counts as wrong.
"""
import tempfile
from collections import Counter
from pathlib import Path

from pipeline.evaluate.harness import read_gold, run_pipeline
from pipeline.evaluate.pages import DEVDATA, by_target_uri, write_warc

GOLD = DEVDATA / "html" / "htmldate_dev.jsonl"


def add_arguments(parser) -> None:
    parser.add_argument("--gold", default=str(GOLD), help=f"gold JSONL with url, html_file, date (default: {GOLD})")
    parser.add_argument("--workdir", help="keep the WARC and the pipeline output here (default: a temp dir)")


def run(args) -> dict:
    rows = read_gold(args.gold)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        warc = write_warc(rows, Path(args.gold).resolve().parents[1], workdir / "gold.warc")
        records, dead = run_pipeline([str(warc)], workdir)
    found = by_target_uri(records)
    correct, sources, misses = 0, Counter(), []
    for row in rows:
        record = found.get(row["url"])
        predicted = str(record["published_date"]) if record and record["published_date"] else None
        sources[record["date_source"] if record else "dead-lettered"] += 1
        if predicted == row["date"]:
            correct += 1
        else:
            misses.append((row["id"], row["date"], predicted))
    result = {"pages": len(rows), "correct": correct, "accuracy": round(correct / len(rows), 4),
              "date_sources": dict(sources), "dead_letters": len(dead)}
    print(f"published_date exact day on {len(rows)} pages: {correct} correct, accuracy {result['accuracy']:.4f}")
    print(f"  date_source: {dict(sources)}")
    for page, gold, predicted in misses:
        print(f"  miss {page}: gold {gold}, predicted {predicted}")
    return result
