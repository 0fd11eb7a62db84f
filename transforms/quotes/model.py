"""The trained attribution model: two CRFs over the tokens of a sentence (python-crfsuite).

- the cue tagger labels cue words (``B-CUE``/``I-CUE``/``O``) in every sentence;
- the span tagger, run once per cue on the cue's sentence, labels its source (``SRC``) and
  content (``CON``), with features relative to the cue (side, distance, which child of the
  cue's head holds the token).

Both read token text, the dependency parse, entity types and whether a token is quoted; they
are trained on the PolNeAR train compartment only (``python -m transforms.quotes.train``). The
model files ship as package data in ``transforms/quotes/data/`` with their version in the name.
"""
from importlib import resources
from pathlib import Path

import pycrfsuite

from transforms.reporting_verbs import CUE_NOUNS, REPORTING_VERBS

MODEL_VERSION = "1"
CUE_FILE = f"attribution-cues-v{MODEL_VERSION}.crfsuite"
SPAN_FILE = f"attribution-spans-v{MODEL_VERSION}.crfsuite"
QUOTE_CHARS = frozenset("\"\u201c\u201d\u00ab\u00bb\u201e")
MIN_CUE_PROBABILITY = 0.5  # a cue the tagger is less sure of is left to the rules (set on the train sample)
MAX_DISTANCE = 12  # token distances to the cue beyond this share one feature value


def _quoted(sentence):
    """Per token of a sentence, whether it lies between quotation marks (marks toggle)."""
    inside, flags = False, []
    for token in sentence:
        is_mark = token.text in QUOTE_CHARS or token.text == "''"
        flags.append(inside or is_mark)
        inside = inside != is_mark
    return flags


def _word(token):
    return "<num>" if token.like_num else token.lower_


def _shape(token):
    return "X" if token.is_title else "x" if token.is_lower else "A" if token.is_upper else "p" if token.is_punct else "o"


def token_features(sentence):
    """Feature strings of each token of a sentence (a spaCy Span), for both taggers."""
    tokens = list(sentence)
    words = [_word(t) for t in tokens]
    deps = [t.dep_ for t in tokens]
    quoted = _quoted(tokens)
    last = len(tokens) - 1
    features = []
    for k, token in enumerate(tokens):
        head = token.head
        lower = token.lower_
        f = [
            "w=" + words[k], "suf=" + lower[-3:], "dep=" + deps[k], "hdep=" + head.dep_, "hw=" + _word(head),
            "ent=" + token.ent_type_, "q1" if quoted[k] else "q0", "shape=" + _shape(token),
            "rv" if lower in REPORTING_VERBS else "nrv", "cn" if lower in CUE_NOUNS else "ncn",
            "hrv" if head.lower_ in REPORTING_VERBS else "nhrv",
            "w-1=" + words[k - 1] if k else "first", "dep-1=" + deps[k - 1] if k else "first",
            "w+1=" + words[k + 1] if k < last else "last", "dep+1=" + deps[k + 1] if k < last else "last",
            "w-2=" + words[k - 2] if k > 1 else "first2", "w+2=" + words[k + 2] if k < last - 1 else "last2",
        ]
        features.append(f)
    return features


def _cue_children(sentence, cue_head):
    """Per token of a sentence, the dependency label of the child of the cue's head whose
    subtree holds it ("self" for the head, "out" when it is not under the head); subtrees
    of the projective parse are contiguous."""
    labels = ["out"] * len(sentence)
    start = sentence.start
    for i in range(cue_head.left_edge.i, cue_head.right_edge.i + 1):
        labels[i - start] = "self"
    for child in cue_head.children:
        for i in range(child.left_edge.i, child.right_edge.i + 1):
            labels[i - start] = child.dep_
    return labels


def span_features(sentence, base, cue_first, cue_last):
    """Feature strings of each token of a sentence for the span tagger, given the sentence's
    token_features and the cue's token indices (in the Doc)."""
    doc = sentence.doc
    cue_head = next((doc[i] for i in range(cue_first, cue_last + 1) if not cue_first <= doc[i].head.i <= cue_last
                     or doc[i].head.i == i), doc[cue_first])  # the cue token highest in the parse
    children = _cue_children(sentence, cue_head)
    cue_word = "cue=" + cue_head.lower_
    features = []
    for k, i in enumerate(range(sentence.start, sentence.end)):
        if i < cue_first:
            side, distance = "before", min(cue_first - i, MAX_DISTANCE)
        elif i > cue_last:
            side, distance = "after", min(i - cue_last, MAX_DISTANCE)
        else:
            side, distance = "in", 0
        child = children[k]
        features.append(base[k] + [
            "side=" + side, f"dist={distance}", "child=" + child, f"side_child={side}|{child}", cue_word,
            f"cue_child={cue_head.lower_}|{child}", f"dep_child={base[k][2][4:]}|{child}",
        ])
    return features


def _runs(labels, name):
    """(first, last) position pairs of the runs labelled B-name/I-name."""
    runs, start = [], None
    for k, label in enumerate(labels + ["O"]):
        if label == "B-" + name or (label == "I-" + name and start is None):
            if start is not None:
                runs.append((start, k - 1))
            start = k
        elif label != "I-" + name and start is not None:
            runs.append((start, k - 1))
            start = None
    return runs


class AttributionModel:
    """The two taggers, opened once (per worker, in ``DoFn.setup``)."""

    def __init__(self, directory=None):
        files = resources.files(__package__).joinpath("data") if directory is None else Path(directory)
        self._cues = pycrfsuite.Tagger()
        self._cues.open(str(files / CUE_FILE))
        self._spans = pycrfsuite.Tagger()
        self._spans.open(str(files / SPAN_FILE))

    def attributions(self, doc):
        """Yield (cue, source, content) of each attribution the model finds, as Doc token
        ranges (first, last); source is None when the model finds none."""
        for sentence in doc.sents:
            base = token_features(sentence)
            if not base:
                continue
            labels = self._cues.tag(base)
            for first, last in _runs(labels, "CUE"):
                if self._cues.marginal(labels[first], first) < MIN_CUE_PROBABILITY:
                    continue
                cue = (sentence.start + first, sentence.start + last)
                tagged = self._spans.tag(span_features(sentence, base, *cue))
                content = _runs(tagged, "CON")
                if not content:
                    continue
                source = _runs(tagged, "SRC")
                longest = max(content, key=lambda r: r[1] - r[0])
                yield (cue, (sentence.start + source[0][0], sentence.start + source[0][1]) if source else None,
                       (sentence.start + longest[0], sentence.start + longest[1]))
