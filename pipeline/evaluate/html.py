"""Body extracted from HTML vs the human-checked ``article_body`` (Scrapinghub benchmark).

The gold pages go into one WARC file with their URLs and through the real pipeline; each
page's ``body`` is scored by token-level precision / recall / F1 (bags of lower-cased word
tokens with multiplicity), averaged over pages. A page without a record scores 0.
"""
import tempfile
from pathlib import Path

import trafilatura

from pipeline.evaluate.harness import read_gold, run_pipeline
from pipeline.evaluate.pages import DEVDATA, by_target_uri, token_prf, write_warc

GOLD = DEVDATA / "html" / "scrapinghub_dev.jsonl"


def add_arguments(parser) -> None:
    parser.add_argument("--gold", default=str(GOLD), help=f"gold JSONL (default: {GOLD})")
    parser.add_argument("--workdir", help="keep the WARC and the pipeline output here (default: a temp dir)")
    parser.add_argument("--baseline", action="store_true",
                        help="also score bare trafilatura.extract(html, url) with its default settings")


def _average(pairs) -> dict:
    """Mean token precision, recall and F1 over ``(predicted, gold)`` pairs."""
    scores = [token_prf(predicted, gold) for predicted, gold in pairs]
    return {name: round(sum(s[i] for s in scores) / len(scores), 4) for i, name in enumerate(("precision", "recall", "f1"))}


def run(args) -> dict:
    rows = read_gold(args.gold)
    root = Path(args.gold).resolve().parents[1]
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        records, dead = run_pipeline([str(write_warc(rows, root, workdir / "gold.warc"))], workdir)
    found = by_target_uri(records)
    result = {"pages": len(rows), "records": len(found), "dead_letters": len(dead),
              **_average((found[row["url"]]["body"] if row["url"] in found else None, row["article_body"]) for row in rows)}
    print(f"html body vs gold article_body on {len(rows)} pages ({len(dead)} dead-lettered):")
    print(f"  pipeline             precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}")
    if args.baseline:
        bare = _average((trafilatura.extract((root / row["html_file"]).read_text("utf-8"), url=row["url"]),
                         row["article_body"]) for row in rows)
        result["baseline_trafilatura"] = bare
        print(f"  bare trafilatura     precision {bare['precision']:.4f}  recall {bare['recall']:.4f}  F1 {bare['f1']:.4f}")
    return result
