"""Precision and recall of --near_duplicates copy groups on PolNeAR, with labeled real copies and
seeded syndicated copies (new headline, last paragraph cut, a paragraph of another article added)."""
import itertools
import json
import random
import tempfile
from datetime import date
from pathlib import Path

import apache_beam as beam

from pipeline.evaluate.scoring import prf
from pipeline.near_duplicates import GroupNearDuplicates
from transforms import near_duplicates as nd

GOLD = ["../shared/devdata/quotes/polnear_dev_quotes.jsonl", "../shared/devdata/quotes/polnear_train_quotes.jsonl"]
LABELS = Path(__file__).with_name("near_duplicate_labels.json")


def add_arguments(parser) -> None:
    parser.add_argument("--gold", nargs="+", default=GOLD, help="PolNeAR JSONL files (default: dev + train)")
    parser.add_argument("--synthetic", type=int, default=200, help="seeded syndicated copies to add (default: 200)")
    parser.add_argument("--threshold", type=float, nargs="+", default=[nd.DEFAULT_THRESHOLD])
    parser.add_argument("--shingle_words", type=int, nargs="+", default=[nd.DEFAULT_SHINGLE_WORDS])


def corpus(paths, synthetic: int) -> tuple[list[dict], set]:
    """Records {article_id, body, published_date} and the gold copy pairs."""
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]
    records = [{"article_id": r["id"], "body": r["text"], "published_date": date.fromisoformat(r["date"])} for r in rows]
    ids = {r["id"] for r in rows}
    gold = {tuple(pair) for pair in json.loads(LABELS.read_text())["copies"] if set(pair) <= ids}
    rng = random.Random(15)
    for n, original in enumerate(rng.sample(records, min(synthetic, len(records)))):
        paragraphs = original["body"].split("\n\n")
        extra = rng.choice(records)["body"].split("\n\n")
        body = "\n\n".join(paragraphs[:max(1, len(paragraphs) - 1)] + [rng.choice(extra)])
        copy_id = f"copy-{n:03d}-{original['article_id']}"
        records.append({"article_id": copy_id, "body": body, "published_date": original["published_date"]})
        gold.add(tuple(sorted((original["article_id"], copy_id))))
    return records, closure(gold)


def closure(pairs: set) -> set:
    """Every pair within the groups the pairs form: a copy of a copy is a copy."""
    members: dict[str, list[str]] = {}
    for article, (group, _) in nd.groups([(("", a), ("", b)) for a, b in pairs]).items():
        members.setdefault(group, []).append(article)
    return {tuple(sorted(pair)) for group in members.values() for pair in itertools.combinations(group, 2)}


def predict(records: list[dict], threshold: float, shingle_words: int) -> set:
    """Pairs in the same copy group after a real Beam run of GroupNearDuplicates."""
    with tempfile.TemporaryDirectory() as scratch:
        with beam.Pipeline(runner="FnApiRunner") as pipeline:
            (pipeline | beam.Create(records) | GroupNearDuplicates(threshold, shingle_words)
             | beam.Map(lambda r: json.dumps([r["copy_group"], r["article_id"]]))
             | beam.io.WriteToText(f"{scratch}/groups"))
        members: dict[str, list[str]] = {}
        for path in Path(scratch).glob("groups*"):
            for line in path.read_text().splitlines():
                group, article = json.loads(line)
                members.setdefault(group, []).append(article)
    return {tuple(sorted(pair)) for group in members.values() for pair in itertools.combinations(group, 2)}


def run(args) -> dict:
    records, gold = corpus(args.gold, args.synthetic)
    print(f"{len(records)} articles, {len(gold)} gold copy pairs")
    print("| threshold | shingle words | pairs found | precision | recall | F1 |\n|---|---|---|---|---|---|")
    scores = {}
    for threshold, size in itertools.product(args.threshold, args.shingle_words):
        found = predict(records, threshold, size)
        tp = len(found & gold)
        score = prf(tp, len(found), len(gold))
        print(f"| {threshold} | {size} | {len(found)} | {score['p']:.3f} | {score['r']:.3f} | {score['f1']:.3f} |")
        scores[f"{threshold}/{size}"] = {**score, "found": len(found), "gold": len(gold)}
    return scores
