"""``AttributionModel``: the two taggers, loaded from the weights file in
``transforms/quotes/data/`` (``MODEL_FILE``), and what their probabilities give: the runs of cue
words (``cue_runs``) and the best source and content span of a cue (``_best_span``)."""
from importlib import resources
from pathlib import Path

import numpy as np

from transforms.quotes.model.columns import cue_columns, window
from transforms.quotes.model.features import DocFeatures, Lexicon
from transforms.quotes.model.networks import Network, SpanScorer

MODEL_VERSION = "2"
MODEL_FILE = f"attribution-v{MODEL_VERSION}.npz"
CUE_LABELS = ("O", "B", "I")
SPAN_LABELS = ("O", "SRC", "CON")


def cue_runs(probabilities, f, threshold):
    """(first, last, probability) of each run of cue words: a token is a cue word when its
    probability of being one (1 - P(O)) reaches threshold; a token more likely B than I starts
    a new cue. White space and quoted tokens are never cue words; a cue stays in its sentence."""
    cue_probability = 1.0 - probabilities[:, 0]
    starts = probabilities[:, 1] > probabilities[:, 2]
    cue = (cue_probability >= threshold) & ~f.space & (f.flags[:, 0] == 0)
    found, first, last = [], None, None
    for i in np.flatnonzero(cue):
        if first is not None and (i != last + 1 or starts[i] or f.sent[i] != f.sent[last]):
            found.append((int(first), int(last), float(cue_probability[first:last + 1].max())))
            first = None
        if first is None:
            first = i
        last = i
    if first is not None:
        found.append((int(first), int(last), float(cue_probability[first:last + 1].max())))
    return found


def _best_span(score, usable):
    """(first, last) of the contiguous run of usable positions with the largest positive sum of
    score, or None (maximum subarray by cumulative sums; a position not usable is a barrier)."""
    if not len(score):
        return None
    total = np.cumsum(np.where(usable, score, -1e9), dtype=np.float64)
    before = np.concatenate(([0.0], total[:-1]))
    lowest = np.minimum.accumulate(before)
    gain = total - lowest
    last = int(gain.argmax())
    if gain[last] <= 0.0:
        return None
    return int(before[:last + 1].argmin()), last


class AttributionModel:
    """The two taggers, loaded once (per worker, in ``DoFn.setup``)."""

    def __init__(self, directory=None):
        files = resources.files("transforms.quotes").joinpath("data") if directory is None else Path(directory)
        with (files / MODEL_FILE).open("rb") as handle:
            weights = dict(np.load(handle, allow_pickle=False))
        self.lexicon = Lexicon(*([str(w) for w in weights.pop(name)] for name in ("words", "reporting", "nouns", "belief")))
        self.cue_threshold = float(weights.pop("cue_threshold"))
        self.span_threshold = float(weights.pop("span_threshold"))
        self.content_threshold = float(weights.pop("content_threshold"))
        self.tensor_width = int(weights.pop("tensor_width"))
        self.cues_net = Network(weights, "cue_")
        self.spans_net = Network(weights, "span_")
        self.span_scorer = SpanScorer(self.spans_net, self.tensor_width)

    def features(self, doc, quoted_spans):
        """The per-token arrays of a Doc (once per Doc); quoted_spans are the quotation's
        (start, end) character spans in text order. A Doc whose token vectors are not those
        the model was trained on (another spaCy model) gets no tensor: the model finds
        nothing there and the rules work alone."""
        f = DocFeatures(doc, quoted_spans, self.lexicon)
        if f.tensor is not None and f.tensor.shape[1] != self.tensor_width:
            f.tensor = None
        return f

    def cue_probabilities(self, f):
        """Per token of the Doc, its probabilities of O, B and I (computed once per Doc)."""
        if f.cue_probabilities is None:
            f.cue_probabilities = self.cues_net.probabilities(*cue_columns(f))
        return f.cue_probabilities

    def cues(self, f):
        """(first, last, probability) of each cue the cue tagger finds, as Doc token indices."""
        if not f.n or f.tensor is None:
            return []
        return cue_runs(self.cue_probabilities(f), f, self.cue_threshold)

    def spans(self, f, cue_first, cue_last):
        """(source, content) token ranges (first, last) of one cue in its window, each None when
        the tagger finds none: the contiguous run of tokens outside the cue with the largest
        positive sum of P(CON) - content_threshold (white space adds nothing), and of
        P(SRC) - span_threshold."""
        if f.tensor is None:
            return None, None
        start, end = window(f, cue_first, cue_last)
        if f.span_tokens is None:
            f.span_tokens = self.span_scorer.tokens(f)
        p = self.span_scorer.probabilities(f, f.span_tokens, cue_first, cue_last, start, end)
        usable = ~f.space[start:end]
        usable[cue_first - start:cue_last + 1 - start] = False
        space = f.space[start:end]
        content = _best_span(np.where(space, 0.0, p[:, 2] - self.content_threshold), usable | space)
        source = _best_span(p[:, 1] - self.span_threshold, usable)
        shift = lambda run: None if run is None else (run[0] + start, run[1] + start)
        return shift(source), shift(content)
