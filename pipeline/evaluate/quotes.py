"""Quote and speaker evaluation on PolNeAR-style gold (devdata/README.md, "Suggested scoring").

    python -m pipeline.evaluate quotes --gold ../shared/devdata/quotes/polnear_dev_quotes.jsonl

Gold ``text`` is "headline, blank line, body". The articles go through the real Beam
pipeline as one JSONL file (``id``, ``title`` = the headline, ``text``); each record's quote
offsets into its ``body`` are mapped back onto the gold ``text`` (``align.py``). A gold
article that becomes a dead letter counts as one with no predictions.
"""

import argparse
import hashlib
import re
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.evaluate.align import map_records
from pipeline.evaluate.harness import format_run, read_gold, run_pipeline_on_jsonl
from pipeline.evaluate.scoring import match_by_overlap, prf, span_chars, spans_overlap
from transforms.nlp import DEFAULT_MODEL
from transforms.quotes import WORD, quote_spans
from transforms.reporting_verbs import CHARACTERIZING_VERBS, CUE_NOUNS, REPORTING_VERBS

CUE_WORDS = REPORTING_VERBS | CHARACTERIZING_VERBS | CUE_NOUNS
CUE_MARKS = (":", "\u2015", "\u2014", "-")  # transcript turns and dash attributions

THRESHOLDS = (0.3, 0.8)
GOLD_MARKS = re.compile("''|[\"\u201c\u201d\u00ab\u00bb\u201e]")  # the marks of gold is_direct, '' (NYT style) included
GROUPS = ("kind", "category")  # record fields whose values each get a precision row


def add_arguments(parser):
    parser.add_argument("--gold", required=True, nargs="+", help="PolNeAR-style JSONL file(s)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles per file")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model name or path")
    parser.add_argument("--workdir", help="keep the pipeline input and output here (default: a temp dir)")
    parser.add_argument("--breakdown", action="store_true", help="also count why direct quotes are missed or wrong, and why attributions are missed")
    parser.add_argument("--folds", type=int, default=None, metavar="K",
                        help="train compartment only: score each article with an attribution model trained on the other K-1 "
                             "folds (by a hash of the article id), annotated in process instead of through Beam")


def split_article(text: str):
    """(title, body, body offset in text) of a PolNeAR text."""
    title, sep, _rest = text.partition("\n\n")
    offset = len(title) + len(sep) if sep else 0
    return title.strip(), text[offset:], offset


QUOTE_SPANS = ("", "speaker_", "cue_")


def predict(articles: list, workdir: str | Path, batch_size: int = 16, model: str = DEFAULT_MODEL) -> tuple[list, dict]:
    """Quote dicts per gold article, offsets into its ``text``, from one pipeline run; and the
    run's counts (records, dead-lettered ids, quote spans that could not be mapped)."""
    docs = [{"id": a["id"], "title": split_article(a["text"])[0], "text": a["text"]} for a in articles]
    extra = ("--model", model, "--nlp_batch_size", str(batch_size))
    records, dead = run_pipeline_on_jsonl(docs, workdir, extra)
    predicted, unmapped = map_records(docs, records, "quotes", QUOTE_SPANS)
    return predicted, {"records": len(records), "dead_letters": dead, "unmapped_spans": unmapped}


def _direct_as_gold(quote: dict, text: str) -> bool:
    """Whether a prediction is direct by the gold's definition: its content holds, or sits
    right after, one of the marks of ``is_direct``."""
    if quote["kind"] == "indirect":
        return False
    before = text[:quote["start_char"]].rstrip()
    return bool(GOLD_MARKS.search(text, quote["start_char"], quote["end_char"])) \
        or any(GOLD_MARKS.fullmatch(before[-n:]) for n in (1, 2))


def _speaker_ok(gold: dict, pred: dict) -> bool:
    if spans_overlap((pred["speaker_start_char"], pred["speaker_end_char"]), gold["speaker_spans"]):
        return True
    return bool(pred["speaker"]) and gold["speaker"].casefold() in pred["speaker"].casefold()


def _compared(article: dict, quotes: list, direct_only: bool) -> tuple[list, list]:
    """(gold items, predicted records) of one article that the scores compare: all of them, or
    with direct_only the gold ``is_direct`` items and the records quoted with one of their
    marks. Every record is a prediction as written: a duplicate is a false positive."""
    if not direct_only:
        return article["quotes"], quotes
    gold = [q for q in article["quotes"] if q["is_direct"]]
    return gold, [q for q in quotes if _direct_as_gold(q, article["text"])]


def _matches(article: dict, quotes: list, direct_only: bool):
    """Yield (threshold, gold items, predicted records, one-to-one matches) of one article."""
    gold, pred = _compared(article, quotes, direct_only)
    chars = [span_chars(q["spans"]) for q in gold]
    spans = [(q["start_char"], q["end_char"]) for q in pred]
    for t in THRESHOLDS:
        yield t, gold, pred, match_by_overlap(chars, spans, t)


def score(gold_articles: list, predicted: list, direct_only: bool) -> dict:
    """P/R/F1 at each threshold plus speaker and cue accuracy on the matches at 0.3.

    Gold ``is_direct`` means the content holds a quotation mark, so the direct part compares
    it with the direct and mixed predictions quoted with one of those marks."""
    counts = {t: [0, 0, 0] for t in THRESHOLDS}
    speaker, cue = [0, 0], [0, 0]
    for article, quotes in zip(gold_articles, predicted):
        for t, gold, pred, matches in _matches(article, quotes, direct_only):
            counts[t][0] += len(matches)
            counts[t][1] += len(pred)
            counts[t][2] += len(gold)
            if t == THRESHOLDS[0]:
                for g, p in matches:
                    if gold[g]["speaker"] is not None:
                        speaker[1] += 1
                        speaker[0] += _speaker_ok(gold[g], pred[p])
                    if gold[g]["cue_spans"]:
                        cue[1] += 1
                        cue[0] += spans_overlap((pred[p]["cue_start_char"], pred[p]["cue_end_char"]), gold[g]["cue_spans"])
    result = {"n_gold": counts[THRESHOLDS[0]][2], "n_pred": counts[THRESHOLDS[0]][1]}
    for t, (tp, n_pred, n_gold) in counts.items():
        result.update({f"{k}@{t}": v for k, v in prf(tp, n_pred, n_gold).items()})
    result["speaker_acc"] = speaker[0] / speaker[1] if speaker[1] else 0.0
    result["cue_acc"] = cue[0] / cue[1] if cue[1] else 0.0
    return result


def by_group(gold_articles: list, predicted: list, field: str) -> dict:
    """Per value of a record field (``kind``, ``category``): its records, the share of them
    that match a gold attribution at each threshold (matched against all attributions), and
    the speaker accuracy on those matches at 0.3."""
    groups = {}
    for article, quotes in zip(gold_articles, predicted):
        for t, gold, pred, matches in _matches(article, quotes, direct_only=False):
            for p, q in enumerate(pred):
                group = groups.setdefault(q[field], {"n_pred": 0, **{f"p@{u}": 0 for u in THRESHOLDS}, "speaker": [0, 0]})
                group["n_pred"] += t == THRESHOLDS[0]
            for g, p in matches:
                group = groups[pred[p][field]]
                group[f"p@{t}"] += 1
                if t == THRESHOLDS[0] and gold[g]["speaker"] is not None:
                    group["speaker"][1] += 1
                    group["speaker"][0] += _speaker_ok(gold[g], pred[p])
    for group in groups.values():
        for t in THRESHOLDS:
            group[f"p@{t}"] /= group["n_pred"]
        right, total = group.pop("speaker")
        group["speaker_acc"] = right / total if total else 0.0
    return dict(sorted(groups.items()))


def direct_errors(gold_articles: list, predicted: list) -> Counter:
    """Why direct items fail at 0.3: each missed gold quote and each unmatched prediction, by cause."""
    errors = Counter()
    for article, quotes in zip(gold_articles, predicted):
        gold, pred = _compared(article, quotes, direct_only=True)
        spans = [(q["start_char"], q["end_char"]) for q in pred]
        matches = match_by_overlap([span_chars(q["spans"]) for q in gold], spans, THRESHOLDS[0])
        found, correct = {g for g, _ in matches}, {p for _, p in matches}
        for g in set(range(len(gold))) - found:
            quoted_words = max((len(WORD.findall(gold[g]["quote"], *s)) for s in quote_spans(gold[g]["quote"])), default=0)
            if quoted_words <= 2:
                errors["missed: quotation of one or two words"] += 1
            elif spans_overlap((gold[g]["start"], gold[g]["end"]), spans):
                errors["missed: a prediction overlaps it, split or merged differently"] += 1
            else:
                errors["missed: no prediction overlaps it"] += 1
        for p in set(range(len(pred))) - correct:
            if spans_overlap(spans[p], [(gold[g]["start"], gold[g]["end"]) for g in found]):
                errors["false positive: inside a gold quote another prediction matched"] += 1
            elif spans_overlap(spans[p], [(q["start"], q["end"]) for q in article["quotes"]]):
                errors["false positive: overlaps another gold attribution"] += 1
            else:
                errors["false positive: no gold attribution there"] += 1
    return errors


CUE_KINDS = {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adjectival", "ADP": "prepositional",
             "PUNCT": "punctuation"}


def missed_attributions(gold_articles: list, predicted: list, model: str = DEFAULT_MODEL) -> Counter:
    """Why gold attributions (all of them) are missed at 0.3: in the headline (quote offsets point
    into the body), a record has the gold cue but its content is elsewhere, or no record has the
    cue, by the cue's kind (the part of speech of its head word, tagged by the full spaCy model
    in its line), by whether it holds one of our cue words, and without a source."""
    import spacy  # the tagger is loaded here only: the pipeline does not use it

    tagger = spacy.load(model)
    errors = Counter()
    for article, quotes in zip(gold_articles, predicted):
        text = article["text"]
        body_start = split_article(text)[2]
        spans = [(q["start_char"], q["end_char"]) for q in quotes]
        found = {g for g, _p in match_by_overlap([span_chars(q["spans"]) for q in article["quotes"]], spans, THRESHOLDS[0])}
        for g, gold in enumerate(article["quotes"]):
            if g in found:
                continue
            if gold["start"] < body_start:
                errors["in the headline"] += 1
                continue
            if any(spans_overlap((q["cue_start_char"], q["cue_end_char"]), gold["cue_spans"]) for q in quotes):
                errors["a record has its cue, content elsewhere or taken"] += 1
                continue
            if not gold["cue_spans"]:
                errors["no record, no gold cue"] += 1
                continue
            start, end = gold["cue_spans"][0]
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end) % (len(text) + 1)
            words = tagger(text[line_start:line_end]).char_span(start - line_start, end - line_start, alignment_mode="expand")
            kind = CUE_KINDS.get(words.root.pos_, "other") if words is not None and len(words) else "other"
            listed = holds_cue_word(gold["cue"])
            errors[f"no record with its cue: {kind} cue, {'one of our cue words' if listed else 'no cue word of ours'}"] += 1
            errors["no record with its cue: of which without a source"] += gold["speaker"] is None
    return errors


def holds_cue_word(cue: str | None) -> bool:
    """Whether a gold cue holds one of our cue words or "according to"."""
    cue = (cue or "").lower()
    return any(w in CUE_WORDS for w in re.findall(r"[a-z]+", cue)) or "according to" in cue


def cue_coverage(gold_articles: list) -> tuple[int, int]:
    """(gold attributions whose cue holds one of our cue words, "according to" or a cue mark;
    all gold attributions): roughly the most a cue-word extractor can recall."""
    covered = total = 0
    for article in gold_articles:
        for quote in article["quotes"]:
            total += 1
            covered += holds_cue_word(quote["cue"]) or (quote["cue"] or "").lower().strip() in CUE_MARKS
    return covered, total


def scores(articles: list, predicted: list, run_counts: dict, breakdown: bool = False, model: str = DEFAULT_MODEL) -> dict:
    """Scores for direct quotes and for all attributions of gold articles and their predicted records."""
    result = {"direct": score(articles, predicted, True), "all": score(articles, predicted, False), "run": run_counts,
              **{f"by_{field}": by_group(articles, predicted, field) for field in GROUPS},
              "direct_errors": dict(direct_errors(articles, predicted)), "cue_coverage": cue_coverage(articles)}
    if breakdown:
        result["missed"] = dict(missed_attributions(articles, predicted, model))
    return result


def evaluate(articles: list, workdir: str | Path, batch_size: int = 16, model: str = DEFAULT_MODEL, breakdown: bool = False) -> dict:
    """Scores for direct quotes and for all attributions of a list of gold articles, and the
    pipeline run's counts."""
    predicted, run_counts = predict(articles, workdir, batch_size, model)
    return scores(articles, predicted, run_counts, breakdown, model)


def fold_of(article_id: str, folds: int) -> int:
    """The fold of an article: a hash of its id, the same on every machine and run."""
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) % folds


def heldout(articles: list, folds: int, model: str = DEFAULT_MODEL, breakdown: bool = False) -> dict:
    """Scores of every article annotated with an attribution model trained on the other folds
    (``transforms.quotes.train`` with its parameters). The articles are prepared and parsed as
    the pipeline does and annotated in process (``annotate_doc``), not through Beam."""
    from transforms.nlp import annotate_doc, load_nlp
    from transforms.quotes import train as quote_train
    from transforms.quotes.model import MODEL_FILE, AttributionModel

    if quote_train.holds_dev(articles):
        raise ValueError("--folds trains models: it takes the train compartment, never dev")
    bodies = quote_train.article_bodies(articles)
    items = quote_train.parsed(articles, load_nlp(model), bodies)
    fold = [fold_of(a["id"], folds) for a in articles]
    predicted = [None] * len(articles)
    for k in range(folds):
        with tempfile.TemporaryDirectory() as directory:
            arrays = quote_train.train([item for item, f in zip(items, fold) if f != k])
            np.savez_compressed(Path(directory) / MODEL_FILE, **arrays)
            attribution = AttributionModel(directory)
        for i in (i for i, f in enumerate(fold) if f == k):
            doc, body, _golds = items[i]
            predicted[i] = {"body": body, "quotes": annotate_doc(doc, body, bodies[i][1], attribution)["quotes"]}
    docs = [{"id": a["id"], "text": a["text"]} for a in articles]
    mapped, unmapped = map_records(docs, {a["id"]: p for a, p in zip(articles, predicted)}, "quotes", QUOTE_SPANS)
    return scores(articles, mapped, {"records": len(articles), "dead_letters": [], "unmapped_spans": unmapped}, breakdown, model)


def format_table(name: str, scores: dict) -> str:
    columns = [f"{k}@{t}" for t in THRESHOLDS for k in ("p", "r", "f1")] + ["speaker_acc", "cue_acc"]
    lines = [name, f"{'':8}{'gold':>6}{'pred':>6}" + "".join(f"{c:>13}" for c in columns)]
    for part in ("direct", "all"):
        s = scores[part]
        lines.append(f"{part:8}{s['n_gold']:>6}{s['n_pred']:>6}" + "".join(f"{s[c]:>13.3f}" for c in columns))
    for field in GROUPS:
        lines.append(f"records by {field}: precision against all attributions")
        for value, g in scores[f"by_{field}"].items():
            lines.append(f"  {str(value):14}{g['n_pred']:>6}  " + "".join(f"{k}={g[k]:.3f}  " for k in (*(f"p@{t}" for t in THRESHOLDS), "speaker_acc")))
    return "\n".join(lines)


def run(args) -> dict:
    """Evaluate every --gold file; print one table per file and return the scores by file."""
    results = {}
    folds = getattr(args, "folds", None)
    for i, path in enumerate(args.gold):
        if folds:
            results[path] = heldout(read_gold(path, args.limit), folds, args.model, args.breakdown)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                workdir = Path(args.workdir) / str(i) if args.workdir else Path(scratch)
                results[path] = evaluate(read_gold(path, args.limit), workdir, args.batch_size, args.model, args.breakdown)
        print(format_table(f"{path} ({folds} folds held out, in process)" if folds else path, results[path]))
        print(format_run(results[path]["run"]))
        if args.breakdown:
            for cause, n in sorted(results[path]["direct_errors"].items()):
                print(f"  direct {cause}: {n}")
            covered, total = results[path]["cue_coverage"]
            share = covered / total if total else 0.0
            print(f"  all: {covered} of {total} gold cues ({share:.3f}) hold a cue word of ours")
            for cause, n in sorted(results[path]["missed"].items()):
                print(f"  all missed: {cause}: {n}")
    return results


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(_parser)
    run(_parser.parse_args())
