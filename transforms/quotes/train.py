"""Train the attribution model on the PolNeAR train compartment (never on dev).

    python -m transforms.quotes.train [--gold ../shared/devdata/quotes/polnear_train_quotes.jsonl]

Parses every article with ``load_nlp`` (line breaks end sentences, as in the pipeline), labels
the tokens of each sentence from the gold cue, source and content spans, and trains the two
CRFs of ``transforms.quotes.model`` with L-BFGS (deterministic: the same data gives the same
model; articles are read in file order). Writes them to ``transforms/quotes/data/``.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import pycrfsuite

from transforms.nlp import load_nlp
from transforms.quotes.model import CUE_FILE, SPAN_FILE, span_features, token_features

DEFAULT_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "devdata" / "quotes" / "polnear_train_quotes.jsonl"
OUTPUT = Path(__file__).resolve().parent / "data"
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.minfreq": 2, "feature.possible_transitions": True}


def _token_range(sentence, spans):
    """Doc token indices of the sentence's tokens overlapping any (start, end) char span."""
    return [t.i for t in sentence if any(t.idx < end and start < t.idx + len(t) for start, end in spans)]


def _bio(sentence, spans, name, labels):
    """Set B-/I-name on the tokens of each span inside the sentence (one run per span)."""
    for start, end in spans:
        run = _token_range(sentence, [(start, end)])
        for k, i in enumerate(run):
            labels[i - sentence.start] = ("B-" if k == 0 else "I-") + name


def sequences(doc, quotes):
    """(cue sequences, span sequences): (features, labels) pairs of one parsed article."""
    cue_data, span_data = [], []
    for sentence in doc.sents:
        base = token_features(sentence)
        if not base:
            continue
        labels = ["O"] * len(base)
        here = [q for q in quotes if q["cue_spans"] and _token_range(sentence, q["cue_spans"][:1])]
        for quote in here:
            _bio(sentence, quote["cue_spans"], "CUE", labels)
        cue_data.append((base, labels))
        for quote in here:
            cue = _token_range(sentence, quote["cue_spans"])
            if not _token_range(sentence, quote["spans"]):
                continue  # content outside the cue's sentence: nothing to learn here
            spans = ["O"] * len(base)
            _bio(sentence, quote["speaker_spans"] or [], "SRC", spans)
            _bio(sentence, quote["spans"], "CON", spans)
            for i in range(cue[0], cue[-1] + 1):
                spans[i - sentence.start] = "O"
            span_data.append((span_features(sentence, base, cue[0], cue[-1]), spans))
    return cue_data, span_data


def train(data, path):
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in data:
        trainer.append(features, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transforms.quotes.train", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="PolNeAR train JSONL (default: %(default)s)")
    parser.add_argument("--output", default=str(OUTPUT), help="directory for the model files (default: %(default)s)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        with open(args.gold, encoding="utf-8") as handle:
            articles = [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        print(f"{args.gold} not found: get the development data into ../shared/devdata or pass --gold", file=sys.stderr)
        return 2
    if any("-dev-" in a["id"] for a in articles):
        print(f"{args.gold} holds PolNeAR dev articles: the model is never trained on dev", file=sys.stderr)
        return 2
    nlp = load_nlp()
    cue_data, span_data = [], []
    for doc, article in zip(nlp.pipe((a["text"] for a in articles), batch_size=16), articles):
        cues, spans = sequences(doc, article["quotes"])
        cue_data += cues
        span_data += spans
    parsed = time.monotonic()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    train(cue_data, output / CUE_FILE)
    train(span_data, output / SPAN_FILE)
    sizes = ", ".join(f"{name} {(output / name).stat().st_size / 1e6:.1f} MB" for name in (CUE_FILE, SPAN_FILE))
    print(f"{len(articles)} articles, {len(cue_data)} sentences, {len(span_data)} cues; parsed in {parsed - started:.0f} s, "
          f"trained in {time.monotonic() - parsed:.0f} s; {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
