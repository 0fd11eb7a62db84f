"""Scoring helpers shared by the quote and NER evaluations (devdata/README.md protocol)."""


def prf(true_positives: int, predicted: int, gold: int) -> dict:
    """Precision, recall and F1 (0.0 when undefined)."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def span_chars(spans) -> set:
    """The set of character positions covered by [(start, end)] spans."""
    return {i for start, end in spans for i in range(start, end)}


def overlap(pred_span, gold_chars: set) -> float:
    """Share of the gold characters covered by a predicted (start, end) span."""
    if not gold_chars:
        return 0.0
    start, end = pred_span
    return sum(1 for i in gold_chars if start <= i < end) / len(gold_chars)


def match_by_overlap(gold_chars: list, pred_spans: list, threshold: float) -> list:
    """One-to-one (gold index, pred index) matches with overlap >= threshold, best first."""
    pairs = []
    for g, chars in enumerate(gold_chars):
        lo, hi = (min(chars), max(chars) + 1) if chars else (0, 0)
        for p, span in enumerate(pred_spans):
            if span[0] < hi and lo < span[1]:
                score = overlap(span, chars)
                if score >= threshold:
                    pairs.append((score, g, p))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, matches = set(), set(), []
    for _score, g, p in pairs:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            matches.append((g, p))
    return matches


def spans_overlap(span, spans) -> bool:
    """Whether (start, end) overlaps any of spans; False when span is None."""
    return span is not None and span[0] is not None and any(span[0] < e and s < span[1] for s, e in spans)


def exact_span_scores(gold: list, pred: list) -> dict:
    """Micro and per-label P/R/F1 over sets of (doc, start, end, label) tuples."""
    gold, pred = set(gold), set(pred)
    labels = sorted({t[-1] for t in gold | pred})
    scores = {"micro": dict(prf(len(gold & pred), len(pred), len(gold)), n_gold=len(gold), n_pred=len(pred))}
    for label in labels:
        g = {t for t in gold if t[-1] == label}
        p = {t for t in pred if t[-1] == label}
        scores[label] = dict(prf(len(g & p), len(p), len(g)), n_gold=len(g), n_pred=len(p))
    return scores
