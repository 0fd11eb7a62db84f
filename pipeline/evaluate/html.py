"""Body extracted from HTML vs the human-checked ``article_body`` (Scrapinghub benchmark).

The gold pages go into one WARC file with their URLs and through the real pipeline; each
page's ``body`` is scored by token-level precision / recall / F1 (bags of lower-cased word
tokens with multiplicity), averaged over pages. A page without a record scores 0.
"""
import tempfile
from pathlib import Path

from pipeline.evaluate.harness import run_pipeline
from pipeline.evaluate.pages import DEVDATA, by_target_uri, read_gold, token_prf, write_warc

GOLD = DEVDATA / "html" / "scrapinghub_dev.jsonl"


def add_arguments(parser) -> None:
    parser.add_argument("--gold", default=str(GOLD), help=f"gold JSONL (default: {GOLD})")
    parser.add_argument("--workdir", help="keep the WARC and the pipeline output here (default: a temp dir)")


def run(args) -> dict:
    rows = read_gold(args.gold)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        warc = write_warc(rows, Path(args.gold).resolve().parents[1], workdir / "gold.warc")
        records, dead = run_pipeline([str(warc)], workdir)
    found = by_target_uri(records)
    totals = [0.0, 0.0, 0.0]
    for row in rows:
        scores = token_prf(found[row["url"]]["body"] if row["url"] in found else None, row["article_body"])
        totals = [t + s for t, s in zip(totals, scores)]
    precision, recall, f1 = (t / len(rows) for t in totals)
    result = {"pages": len(rows), "records": len(found), "dead_letters": len(dead),
              "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    print(f"html body vs gold article_body on {len(rows)} pages ({len(dead)} dead-lettered):")
    print(f"  token precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}")
    return result
