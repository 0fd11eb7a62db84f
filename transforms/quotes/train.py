"""Train the attribution model on the PolNeAR train compartment (never on dev).

    python -m transforms.quotes.train [--gold ../shared/devdata/quotes/polnear_train_quotes.jsonl]

Each article becomes the body the pipeline annotates (``transforms.prepare``: normalized text,
title, dateline and boilerplate taken off), parsed with ``load_nlp``; the gold cue, source and
content spans are moved onto the body (the evaluator's alignment) and label its tokens. Two
small networks (``transforms.quotes.model``) are trained with Adam from a fixed seed, one
thread, articles in file order: the same data gives the same model. Writes
``transforms/quotes/data/attribution-v<MODEL_VERSION>.npz``.
"""
import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from transforms.formats.fields import record_to_source
from transforms.prepare import prepare
from transforms.quotes.marks import quote_spans
from transforms.quotes.model import (
    CUE_LABELS, DEP_LABELS, ENT_LABELS, MODEL_FILE, N_RELS, SPAN_LABELS, DocFeatures, Lexicon, cue_columns, lexicon_lists,
    span_columns, window,
)

DEFAULT_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "devdata" / "quotes" / "polnear_train_quotes.jsonl"
OUTPUT = Path(__file__).resolve().parent / "data"
SEED = 16
# chosen on held-out folds of the train compartment (docs/quotes.md, "The trained attribution model")
PARAMS = {
    "max_words": 4000, "min_count": 3, "hidden": 64, "epochs": 6, "batch": 256, "learning_rate": 0.002,
    "weight_decay": 1e-4, "dims": {"word": 16, "dep": 8, "ent": 4, "rel": 16},
    "cue_threshold": 0.4, "content_threshold": 0.2, "span_threshold": 0.1,
}


def article_body(article, position=1):
    """(body, title) of a gold article as the pipeline reads it from a JSONL line."""
    headline, _sep, _rest = article["text"].partition("\n\n")
    record = {"id": article["id"], "title": headline.strip(), "text": article["text"]}
    prepared = prepare(record_to_source(record, "gold.jsonl", "jsonl", position, None), date(2026, 1, 1))
    return prepared["body"], prepared["title"]


def gold_on_body(article, body):
    """The article's gold attributions with cue, source and content spans moved onto body
    offsets ({"cue", "source", "content"}: lists of (start, end)); a span outside the body
    (the headline) is left out."""
    from pipeline.evaluate.align import body_to_gold  # the evaluator's alignment: training reads what is scored

    inverse = {}
    for b, span in enumerate(body_to_gold(body, article["text"])):
        if span is not None:
            for g in range(span[0], span[1]):
                inverse.setdefault(g, b)

    def moved(spans):
        out = []
        for start, end in spans or []:
            found = [inverse[g] for g in range(start, end) if g in inverse]
            if found:
                out.append((min(found), max(found) + 1))
        return out

    return [{"cue": moved(q["cue_spans"]), "source": moved(q["speaker_spans"]), "content": moved(q["spans"])}
            for q in article["quotes"]]


def _token_mask(f, spans):
    """Per token of the Doc, whether it overlaps one of the character spans."""
    idx = f.idx
    ends = idx + np.array([len(t) for t in f.doc], dtype=np.int64)
    mask = np.zeros(f.n, dtype=bool)
    for start, end in spans:
        mask |= (idx < end) & (start < ends)
    return mask & ~f.space


def examples(f, golds):
    """(cue labels per token, [(cue first, last, window start, end, span labels)]) of one Doc."""
    cue_labels = np.zeros(f.n, dtype=np.int64)
    cues = []
    for gold in golds:
        if not gold["cue"] or not gold["content"]:
            continue
        tokens = np.flatnonzero(_token_mask(f, gold["cue"]))
        if not len(tokens):
            continue
        first, last = int(tokens[0]), int(tokens[-1])
        cue_labels[first + 1:last + 1] = np.where(cue_labels[first + 1:last + 1] == 1, 1, 2)
        cue_labels[first] = 1
        start, end = window(f, first, last)
        labels = np.zeros(end - start, dtype=np.int64)
        labels[_token_mask(f, gold["source"])[start:end]] = 1
        labels[_token_mask(f, gold["content"])[start:end]] = 2
        labels[first - start:last + 1 - start] = 0
        cues.append((first, last, start, end, labels))
    return cue_labels, cues


def vocabulary(docs, max_words, min_count):
    """The most frequent lower-case words of the training Docs (at least min_count times)."""
    counts = Counter(t.lower_ for doc in docs for t in doc if not t.is_space)
    return [w for w, c in counts.most_common(max_words) if c >= min_count]


def build(items, lexicon):
    """Training arrays of both taggers from [(doc, body, golds)]."""
    cue_dense, cue_ids, cue_y, span_dense, span_ids, span_y = [], [], [], [], [], []
    for doc, body, golds in items:
        f = DocFeatures(doc, list(quote_spans(body)), lexicon)
        if not f.n or f.tensor is None:
            continue
        labels, cues = examples(f, golds)
        dense, ids = cue_columns(f)
        cue_dense.append(dense.astype(np.float16))
        cue_ids.append(ids)
        cue_y.append(labels)
        for first, last, start, end, y in cues:
            dense, ids = span_columns(f, first, last, start, end)
            span_dense.append(dense.astype(np.float16))
            span_ids.append(ids)
            span_y.append(y)
    return _stacked(cue_dense, cue_ids, cue_y), _stacked(span_dense, span_ids, span_y)


def _stacked(dense, ids, y):
    names = ids[0].keys()
    joined = {name: [np.concatenate([i[name][k] for i in ids]) for k in range(len(ids[0][name]))] for name in names}
    return np.concatenate(dense), joined, np.concatenate(y)


class _Adam:
    def __init__(self, params, rate, decay):
        self.params, self.rate, self.decay, self.t = params, rate, decay, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, grads, rate):
        self.t += 1
        for k, g in grads.items():
            if self.decay and not k.startswith("b"):
                g = g + self.decay * self.params[k]
            self.m[k] = 0.9 * self.m[k] + 0.1 * g
            self.v[k] = 0.999 * self.v[k] + 0.001 * g * g
            m = self.m[k] / (1 - 0.9 ** self.t)
            v = self.v[k] / (1 - 0.999 ** self.t)
            self.params[k] -= rate * m / (np.sqrt(v) + 1e-8)


def train_network(data, sizes, params, seed, n_labels, log=None):
    """Weights {w1, b1, w2, b2, E_<name>} of one network trained on (dense, ids, labels)."""
    dense, ids, y = data
    rng = np.random.default_rng(seed)
    dims = params["dims"]
    fields = [(name, k) for name in sorted(ids) for k in range(len(ids[name]))]
    width = dense.shape[1] + sum(dims[name] for name, _k in fields)
    hidden = params["hidden"]
    weights = {
        "w1": rng.normal(0, np.sqrt(2.0 / width), (width, hidden)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "w2": rng.normal(0, np.sqrt(1.0 / hidden), (hidden, n_labels)).astype(np.float32),
        "b2": np.zeros(n_labels, dtype=np.float32),
    }
    for name in sorted(ids):
        weights["E_" + name] = rng.normal(0, 0.1, (sizes[name], dims[name])).astype(np.float32)
    adam = _Adam(weights, params["learning_rate"], params["weight_decay"])
    n, batch = len(y), params["batch"]
    steps = params["epochs"] * ((n + batch - 1) // batch)
    step = 0
    for epoch in range(params["epochs"]):
        order = rng.permutation(n)
        loss = 0.0
        for b in range(0, n, batch):
            rows = order[b:b + batch]
            blocks = [dense[rows].astype(np.float32)] + [weights["E_" + name][ids[name][k][rows]] for name, k in fields]
            x = np.hstack(blocks)
            h = np.maximum(x @ weights["w1"] + weights["b1"], 0.0)
            logits = h @ weights["w2"] + weights["b2"]
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            loss -= np.log(p[np.arange(len(rows)), y[rows]] + 1e-9).sum()
            d = p
            d[np.arange(len(rows)), y[rows]] -= 1.0
            d /= len(rows)
            grads = {"w2": h.T @ d, "b2": d.sum(axis=0)}
            dh = (d @ weights["w2"].T) * (h > 0)
            grads["w1"] = x.T @ dh
            grads["b1"] = dh.sum(axis=0)
            dx = dh @ weights["w1"].T
            column = dense.shape[1]
            for name, k in fields:
                table = "E_" + name
                g = grads.setdefault(table, np.zeros_like(weights[table]))
                np.add.at(g, ids[name][k][rows], dx[:, column:column + dims[name]])
                column += dims[name]
            adam.step(grads, params["learning_rate"] * (1.0 - step / steps))
            step += 1
        if log:
            log(f"  epoch {epoch + 1}: loss {loss / n:.4f}")
    return weights


def train(items, params=PARAMS, seed=SEED, log=None):
    """The model's arrays (for ``np.savez_compressed``) trained on [(doc, body, golds)]."""
    words = vocabulary([doc for doc, _body, _golds in items], params["max_words"], params["min_count"])
    lists = lexicon_lists()
    cue_data, span_data = build(items, Lexicon(words, **lists))
    if log:
        log(f"{len(cue_data[2])} tokens ({int((cue_data[2] > 0).sum())} cue words), {len(span_data[2])} span rows")
    sizes = {"word": len(words) + 1, "dep": len(DEP_LABELS), "ent": len(ENT_LABELS), "rel": N_RELS}
    with threadpool_limits(1):
        cue = train_network(cue_data, sizes, params, seed, len(CUE_LABELS), log)
        span = train_network(span_data, sizes, params, seed + 1, len(SPAN_LABELS), log)
    arrays = {"words": np.array(words), **{name: np.array(values) for name, values in lists.items()},
              **{name: np.array(params[name]) for name in ("cue_threshold", "content_threshold", "span_threshold")},
              "tensor_width": np.array(next(doc.tensor.shape[1] for doc, _body, _golds in items if len(doc)))}
    arrays.update({"cue_" + k: v.astype(np.float16) for k, v in cue.items()})
    arrays.update({"span_" + k: v.astype(np.float16) for k, v in span.items()})
    return arrays


def holds_dev(articles):
    """Whether any gold article is from PolNeAR dev, on which no model is ever trained."""
    return any("-dev-" in a["id"] for a in articles)


def article_bodies(articles):
    """[(body, title)] of gold articles, as the pipeline reads them from a JSONL file."""
    return [article_body(a, n) for n, a in enumerate(articles, start=1)]


def parsed(articles, nlp, bodies=None):
    """[(doc, body, golds)] of gold articles (their ``article_bodies`` when already made), parsed
    as the pipeline parses them."""
    bodies = bodies or article_bodies(articles)
    docs = nlp.pipe((body for body, _title in bodies), batch_size=16)
    return [(doc, body, gold_on_body(a, body)) for doc, (body, _title), a in zip(docs, bodies, articles)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transforms.quotes.train", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="PolNeAR train JSONL (default: %(default)s)")
    parser.add_argument("--output", default=str(OUTPUT), help="directory for the model file (default: %(default)s)")
    args = parser.parse_args(argv)
    started, cpu = time.monotonic(), time.process_time()
    try:
        with open(args.gold, encoding="utf-8") as handle:
            articles = [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        print(f"{args.gold} not found: get the development data into ../shared/devdata or pass --gold", file=sys.stderr)
        return 2
    if holds_dev(articles):
        print(f"{args.gold} holds PolNeAR dev articles: the model is never trained on dev", file=sys.stderr)
        return 2
    from transforms.nlp import load_nlp  # transforms.nlp imports this package

    items = parsed(articles, load_nlp())
    parse_time = time.monotonic() - started
    arrays = train(items, log=lambda line: print(line, flush=True))
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(output / MODEL_FILE, **arrays)
    size = (output / MODEL_FILE).stat().st_size / 1e6
    print(f"{len(articles)} articles; parsed in {parse_time:.0f} s, trained in {time.monotonic() - started - parse_time:.0f} s "
          f"({time.process_time() - cpu:.0f} s of CPU in all); {MODEL_FILE} {size:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
