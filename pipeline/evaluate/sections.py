"""Accuracy of the normalized ``section`` on the BBC sample, by the kind of section signal.

The BBC articles go through the real pipeline three times over, in one run:

- ``metadata``: a JSONL dump whose records carry the BBC topical area as ``category``
  (as news-please or webhose dumps carry a section);
- ``url``: a JSONL dump whose records carry a URL in the BBC's 2005 layout
  ``http://news.bbc.co.uk/2/hi/<area>/<n>.stm`` (built from the area: the dataset has no URLs);
- ``none``: the raw text files, which carry no section signal (coverage only).

Pipeline sections map onto the five BBC areas as ``MAPPING``; any other section, or none, is wrong.
"""
import json
import tempfile
from collections import Counter
from pathlib import Path

from pipeline.evaluate.harness import read_gold, run_pipeline
from pipeline.evaluate.pages import DEVDATA

GOLD = DEVDATA / "sections" / "bbc_sections_dev.jsonl"
MAPPING = {"business": "business", "entertainment": "entertainment", "politics": "politics",
           "sport": "sport", "technology": "tech"}


def add_arguments(parser) -> None:
    parser.add_argument("--gold", default=str(GOLD), help=f"gold JSONL with title, text, section, raw_file (default: {GOLD})")
    parser.add_argument("--workdir", help="keep the dumps and the pipeline output here (default: a temp dir)")


def _write_dumps(rows: list[dict], directory: Path) -> None:
    with open(directory / "metadata.jsonl", "w", encoding="utf-8") as metadata, \
            open(directory / "url.jsonl", "w", encoding="utf-8") as url:
        for n, row in enumerate(rows):
            base = {"id": row["id"], "title": row["title"], "text": row["text"]}
            metadata.write(json.dumps({**base, "category": row["section"]}) + "\n")
            url.write(json.dumps({**base, "url": f"http://news.bbc.co.uk/2/hi/{row['section']}/{4000000 + n}.stm"}) + "\n")


def run(args) -> dict:
    rows = read_gold(args.gold)
    root = Path(args.gold).resolve().parents[1]
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        (workdir / "dumps").mkdir(parents=True, exist_ok=True)
        _write_dumps(rows, workdir / "dumps")
        raw_files = [str(root / row["raw_file"]) for row in rows]
        records, dead = run_pipeline([str(workdir / "dumps" / "*.jsonl"), *raw_files], workdir)
    gold_by_id = {row["id"]: row["section"] for row in rows}
    gold_by_raw = {str(root / row["raw_file"]): row["section"] for row in rows}
    result = {"articles": len(rows), "dead_letters": len(dead), "mapping": MAPPING}
    print(f"section accuracy on {len(rows)} BBC articles (mapping {MAPPING}):")
    for signal in ("metadata", "url", "none"):
        if signal == "none":
            scored = [(r, gold_by_raw.get(r["source_uri"])) for r in records if r["source_format"] == "text"]
        else:
            scored = [(r, gold_by_id.get(r["source_id"])) for r in records if r["source_uri"].endswith(f"/{signal}.jsonl")]
        correct = sum(MAPPING.get(r["section"]) == gold for r, gold in scored)
        with_section = sum(r["section"] is not None for r, _ in scored)
        sources = Counter(r["section_source"] for r, _ in scored)
        result[signal] = {"records": len(scored), "correct": correct, "accuracy": round(correct / len(rows), 4),
                          "with_section": with_section, "section_source": dict(sources)}
        print(f"  {signal:<9} accuracy {correct / len(rows):.4f} ({correct}/{len(rows)}), "
              f"{with_section} with a section, section_source {dict(sources)}")
    return result
