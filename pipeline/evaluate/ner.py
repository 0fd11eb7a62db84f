"""NER evaluation on CoNLL-2003-style gold: the pipeline's article-level entities against
the bare model's ``doc.ents``, exact-span micro P/R/F1 after mapping spaCy labels to CoNLL.

    python -m pipeline.evaluate ner --gold ../shared/devdata/ner/conll2003_dev_docs.jsonl

The gold documents go through the real Beam pipeline as one JSONL file (``id``, ``text``); the
record's entity offsets into ``body`` are mapped back onto the gold ``text`` (``align.py``). A
document that becomes a dead letter counts as one with no entities. The bare model reads the
gold ``text`` as it is.
"""

import argparse
import json
import tempfile
from pathlib import Path

import spacy

from pipeline.evaluate.align import map_records
from pipeline.evaluate.harness import format_run, read_gold, run_pipeline_on_jsonl
from pipeline.evaluate.scoring import exact_span_scores
from transforms.nlp import DEFAULT_MODEL


def add_arguments(parser):
    parser.add_argument("--gold", required=True, help="CoNLL-style JSONL (text + entities)")
    parser.add_argument("--mapping", default=None, help="label_mapping.json (default: next to --gold)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model name or path")
    parser.add_argument("--workdir", help="keep the pipeline input and output here (default: a temp dir)")


def predict(docs: list, workdir: str | Path, batch_size: int = 16, model: str = DEFAULT_MODEL) -> tuple[list, dict]:
    """EntityMention dicts per gold doc, offsets into its ``text``, from one pipeline run; and
    the run's counts (records, dead-lettered ids, mentions that could not be mapped)."""
    extra = ("--model", model, "--nlp_batch_size", str(batch_size))
    records, dead = run_pipeline_on_jsonl([{"id": d["id"], "text": d["text"]} for d in docs], workdir, extra)
    predicted, unmapped = map_records(docs, records, "entities", ("",))
    return predicted, {"records": len(records), "dead_letters": dead, "unmapped_spans": unmapped}


def predict_bare(texts, batch_size: int = 16, model: str = DEFAULT_MODEL) -> list:
    """The bare model's entities (``doc.ents``) as EntityMention-like dicts."""
    nlp = spacy.load(model)
    return [
        [{"start_char": e.start_char, "end_char": e.end_char, "label": e.label_} for e in doc.ents]
        for doc in nlp.pipe(texts, batch_size=batch_size)
    ]


def to_conll(predicted: list, spacy_to_conll: dict) -> list:
    """(doc index, start, end, CoNLL label) tuples; labels mapped to null are dropped."""
    return [
        (i, m["start_char"], m["end_char"], spacy_to_conll.get(m["label"]))
        for i, mentions in enumerate(predicted) for m in mentions
        if spacy_to_conll.get(m["label"])
    ]


def format_table(scores: dict) -> str:
    lines = [f"{'label':8}" + "".join(f"{name + ' ' + k:>14}" for name in scores for k in ("P", "R", "F1"))]
    labels = ["micro"] + sorted(k for k in next(iter(scores.values())) if k != "micro")
    for label in labels:
        cells = []
        for s in scores.values():
            row = s.get(label, {"p": 0.0, "r": 0.0, "f1": 0.0})
            cells += [row["p"], row["r"], row["f1"]]
        lines.append(f"{label:8}" + "".join(f"{100 * c:>14.2f}" for c in cells))
    return "\n".join(lines)


def run(args) -> dict:
    """Score the pipeline and the bare model; print them side by side and return both."""
    docs = read_gold(args.gold, args.limit)
    mapping_path = Path(args.mapping) if args.mapping else Path(args.gold).with_name("label_mapping.json")
    spacy_to_conll = json.loads(mapping_path.read_text())["spacy_to_conll"]
    gold = [(i, e["start"], e["end"], e["label"]) for i, d in enumerate(docs) for e in d["entities"]]
    with tempfile.TemporaryDirectory() as scratch:
        predicted, counts = predict(docs, Path(args.workdir or scratch), args.batch_size, args.model)
    bare = predict_bare([d["text"] for d in docs], args.batch_size, args.model)
    scores = {
        "pipeline": exact_span_scores(gold, to_conll(predicted, spacy_to_conll)),
        "bare": exact_span_scores(gold, to_conll(bare, spacy_to_conll)),
    }
    print(format_table(scores))
    print(format_run(counts))
    return {**scores, "run": counts}


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(_parser)
    run(_parser.parse_args())
