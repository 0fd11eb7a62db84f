"""The trained attribution model: two small numpy networks over spaCy's own token vectors.

- the **cue tagger** labels every token of a Doc ``O``, ``B`` (first word of a cue) or ``I``
  (a further word of it); a run of cue words whose probability (the highest ``1 - P(O)`` in
  it) is under ``cue_threshold`` is left out;
- the **span tagger** runs once per cue the assembly keeps, over the cue's sentence and its
  neighbours on the same line, and labels each token ``O``, ``SRC`` (source) or ``CON``
  (content), given where the token stands relative to the cue: side and distance, which
  child of the cue's head (``nsubj``, ``ccomp``, ``dobj``, ...) or of the head above it holds
  it, and the cue head's own vector.

Both read, per token, the ``tok2vec`` output the parser already computed (``doc.tensor``, 96
floats, no extra parse cost), small learned embeddings of the lower-case word, its dependency
label and entity type, the head's word and label, the labels of its children and a few flags
(quoted, in a list of reporting verbs or cue nouns). The per-token arrays are computed once per
Doc with ``Doc.to_array``. One hidden layer (ReLU) per tagger, trained on the PolNeAR train
compartment only (``python -m transforms.quotes.train``); the weights ship as one ``.npz`` of
float16 arrays in ``transforms/quotes/data/`` with ``MODEL_VERSION`` in its name.
"""
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, LOWER, SENT_START
from spacy.strings import hash_string

from transforms.reporting_verbs import BELIEF_NOUNS, BELIEF_VERBS, CUE_NOUNS, REPORTING_VERBS

MODEL_VERSION = "2"
MODEL_FILE = f"attribution-v{MODEL_VERSION}.npz"

ATTRS = [LOWER, DEP, HEAD, ENT_TYPE, IDX, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, SENT_START]
DEP_LABELS = (
    "", "ROOT", "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass", "case", "cc",
    "ccomp", "compound", "conj", "csubj", "csubjpass", "dative", "dep", "det", "dobj", "expl", "intj", "mark", "meta",
    "neg", "nmod", "npadvmod", "nsubj", "nsubjpass", "nummod", "oprd", "parataxis", "pcomp", "pobj", "poss", "preconj",
    "predet", "prep", "prt", "punct", "quantmod", "relcl", "xcomp",
)
ENT_LABELS = ("", "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL",
              "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART")
# children whose presence under a token is a feature of it (a verb with a ccomp and an nsubj is a likely cue)
CHILD_DEPS = ("nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "mark", "prep", "advcl", "parataxis", "aux", "auxpass",
              "neg", "agent", "attr", "acomp", "conj", "dative", "csubj", "relcl", "acl", "poss", "pcomp", "prt",
              "advmod", "npadvmod", "oprd", "appos", "punct")
MARK_WORDS = ("\"", "\u201c", "\u201d", "\u00ab", "\u00bb", "\u201e", "''")
N_FLAGS = 14
DISTANCES = (1, 2, 3, 4, 6, 9, 13, 20)  # bucket edges of a token's distance to the cue, per side
N_REGIONS = 3  # the cue's sentence, a sentence before it, a sentence after it (same line)
# where a token stands relative to the cue head h: "self" (h's own token or the cue), a child
# of h (by the child's label), under h's head but not under h (by h's label: the clause a
# parataxis cue interrupts), elsewhere
REL_SELF, REL_OUT = 0, 1
REL_CHILD = 2
REL_HEAD = REL_CHILD + len(DEP_LABELS)
N_RELS = REL_HEAD + len(DEP_LABELS)
MAX_WINDOW = 160  # tokens the span tagger reads around a cue at most
CUE_LABELS = ("O", "B", "I")
SPAN_LABELS = ("O", "SRC", "CON")


def _hashes(strings):
    return np.array([hash_string(s) for s in strings], dtype=np.uint64)


def _member(keys, table):
    """Whether each hash key is in a sorted hash table."""
    if not len(table):
        return np.zeros(len(keys), dtype=bool)
    return table[np.minimum(np.searchsorted(table, keys), len(table) - 1)] == keys


def _lookup(keys, table, order, default=0):
    """Ids of hash keys in a sorted hash table (order maps the sorted position to the id), or default."""
    if not len(table):
        return np.full(len(keys), default, dtype=np.int64)
    pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[pos] == keys, order[pos], default)


class _Table:
    """A string table as sorted hashes: ids in the given order, 0 (or default) when absent."""

    def __init__(self, strings, default=0, offset=0):
        hashes = _hashes(strings)
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.ids, self.default = hashes[order], order.astype(np.int64) + offset, default

    def __call__(self, keys):
        return _lookup(keys, self.hashes, self.ids, self.default)


_DEPS = _Table(DEP_LABELS)
_ENTS = _Table(ENT_LABELS)
_CHILDREN = _Table(CHILD_DEPS, default=-1)
_MARKS = np.sort(_hashes(MARK_WORDS))


def lexicon_lists():
    """The word lists the model reads as flags, from ``transforms.reporting_verbs``; training
    stores them in the model file, so the model reads the lists it was trained with."""
    return {"reporting": sorted(REPORTING_VERBS), "nouns": sorted(CUE_NOUNS), "belief": sorted(BELIEF_VERBS | BELIEF_NOUNS)}


class Lexicon:
    """The model's word tables: the embedded words (id 0 for any other word) and the flag lists."""

    def __init__(self, words, reporting, nouns, belief):
        self.words = _Table(words, default=0, offset=1)
        self.reporting, self.nouns, self.belief = (np.sort(_hashes(w)) for w in (reporting, nouns, belief))


class DocFeatures:
    """The per-token arrays of one Doc that both taggers read, computed once."""

    def __init__(self, doc, quoted_spans, lexicon):
        a = doc.to_array(ATTRS)
        n = len(doc)
        self.doc, self.n = doc, n
        lower = a[:, 0]
        self.word = lexicon.words(lower)
        self.dep = _DEPS(a[:, 1])
        self.head = np.arange(n) + a[:, 2].astype(np.int64)
        self.ent = _ENTS(a[:, 3])
        idx = a[:, 4].astype(np.int64)
        self.idx = idx
        start = a[:, 10].astype(np.int64) == 1
        if n:
            start[0] = True
        self.sent = np.cumsum(start) - 1
        self.sent_starts = np.flatnonzero(start)
        self.sent_ends = np.append(self.sent_starts[1:], n)
        quoted = np.zeros(n, dtype=bool)
        if quoted_spans:
            starts = np.array([s for s, _ in quoted_spans])
            ends = np.array([e for _, e in quoted_spans])
            k = np.searchsorted(starts, idx, side="right") - 1
            quoted = (k >= 0) & (idx < ends[np.maximum(k, 0)])
        is_mark = _member(lower, _MARKS)
        reporting = _member(lower, lexicon.reporting)
        noun = _member(lower, lexicon.nouns)
        self.space = a[:, 6].astype(bool)
        root = self.head == np.arange(n)
        flags = np.zeros((n, N_FLAGS), dtype=np.float32)
        flags[:, 0] = quoted
        flags[:, 1] = is_mark
        flags[:, 2] = a[:, 5]
        flags[:, 3] = self.space
        flags[:, 4] = a[:, 7]
        flags[:, 5] = a[:, 8]
        flags[:, 6] = a[:, 9]
        flags[:, 7] = reporting
        flags[:, 8] = noun
        flags[:, 9] = _member(lower, lexicon.belief)
        flags[:, 10] = reporting[self.head]
        flags[:, 11] = start
        flags[:, 12] = root
        flags[:, 13] = quoted[self.head]
        self.flags = flags
        children = np.zeros((n, len(CHILD_DEPS)), dtype=np.float32)
        kind = _CHILDREN(a[:, 1])
        keep = (kind >= 0) & ~root
        children[self.head[keep], kind[keep]] = 1.0
        self.children = children
        self.tensor = doc.tensor if doc.tensor.ndim == 2 and doc.tensor.shape[0] == n else None
        self._line_starts = None
        self.cue_probabilities = None
        self.span_tokens = None

    def line_of(self):
        """Per sentence, the index of its line (a run of sentences not separated by a line break)."""
        if self._line_starts is None:
            first = self.sent_starts
            breaks = np.zeros(len(first), dtype=bool)
            for k in range(1, len(first)):
                before = self.doc[first[k] - 1]
                breaks[k] = before.is_space and "\n" in before.text or "\n" in before.whitespace_
            self._line_starts = np.cumsum(breaks)
        return self._line_starts


def _shifted(values, step, fill):
    out = np.full_like(values, fill)
    if step > 0:
        out[step:] = values[:-step]
    else:
        out[:step] = values[-step:]
    return out


def cue_columns(f):
    """(dense matrix, {embedding name: ids}) of the cue tagger's input, one row per token."""
    oov = 0  # the word table's id 0 stands for words outside it and for the edges
    dense = np.hstack([f.tensor, f.flags, f.children, f.flags[f.head, 7:10]])
    ids = {
        "word": [f.word, f.word[f.head], _shifted(f.word, 1, oov), _shifted(f.word, -1, oov)],
        "dep": [f.dep, f.dep[f.head]],
        "ent": [f.ent],
    }
    return dense, ids


def window(f, cue_first, cue_last):
    """Token range [start, end) the span tagger reads for a cue: its sentence and the sentences
    before and after it on the same line, at most MAX_WINDOW tokens around the cue."""
    s = f.sent[cue_first]
    lines = f.line_of()
    first, last = s, s
    if s > 0 and lines[s - 1] == lines[s]:
        first = s - 1
    if s + 1 < len(f.sent_starts) and lines[s + 1] == lines[s]:
        last = s + 1
    start, end = f.sent_starts[first], f.sent_ends[last]
    start = max(start, cue_first - MAX_WINDOW // 2)
    end = min(end, cue_last + 1 + MAX_WINDOW // 2)
    return int(start), int(end)


def cue_head(f, cue_first, cue_last):
    """The cue token highest in the parse (its head lies outside the cue, or it is a root)."""
    for i in range(cue_first, cue_last + 1):
        h = f.head[i]
        if h == i or not cue_first <= h <= cue_last:
            return i
    return cue_first


def relations(f, start, end, cue_first, cue_last, head):
    """Per token of [start, end), its relation id to the cue head (REL_*) and its region."""
    doc = f.doc
    rel = np.full(end - start, REL_OUT, dtype=np.int64)
    h = doc[head]
    up = h.head
    if up.i != h.i:
        lo, hi = max(up.left_edge.i, start), min(up.right_edge.i + 1, end)
        rel[lo - start:hi - start] = REL_HEAD + f.dep[head]
    lo, hi = max(h.left_edge.i, start), min(h.right_edge.i + 1, end)
    rel[lo - start:hi - start] = REL_SELF
    for child in h.children:
        lo, hi = max(child.left_edge.i, start), min(child.right_edge.i + 1, end)
        if lo < hi:
            rel[lo - start:hi - start] = REL_CHILD + f.dep[child.i]
    rel[max(cue_first, start) - start:min(cue_last + 1, end) - start] = REL_SELF
    s = f.sent[cue_first]
    sent = f.sent[start:end]
    region = np.where(sent == s, 0, np.where(sent < s, 1, 2))
    return rel, region


_BUCKETS = np.searchsorted(DISTANCES, np.arange(MAX_WINDOW + 2), side="right")  # distance -> bucket


def _distance_ids(start, end, cue_first, cue_last):
    """Per token of [start, end), its side-and-distance bucket: 0 in the cue, 1.. before it,
    len(DISTANCES) + 1.. after it."""
    before = _BUCKETS[np.minimum(np.arange(cue_first - start, 0, -1), MAX_WINDOW + 1)]
    after = len(DISTANCES) + _BUCKETS[np.minimum(np.arange(1, end - cue_last), MAX_WINDOW + 1)]
    return np.concatenate((before, np.zeros(cue_last + 1 - cue_first, dtype=np.int64), after))


def span_columns(f, cue_first, cue_last, start, end):
    """(dense matrix, ids) of the span tagger's input for one cue, one row per token of [start, end)."""
    head = cue_head(f, cue_first, cue_last)
    rel, region = relations(f, start, end, cue_first, cue_last, head)
    rows = np.arange(end - start)
    distance = np.zeros((end - start, 2 * len(DISTANCES) + 1), dtype=np.float32)
    distance[rows, _distance_ids(start, end, cue_first, cue_last)] = 1.0
    regions = np.zeros((end - start, N_REGIONS), dtype=np.float32)
    regions[rows, region] = 1.0
    dense = np.hstack([
        f.tensor[start:end], np.broadcast_to(f.tensor[head], (end - start, f.tensor.shape[1])),
        f.flags[start:end], distance, regions,
    ])
    ids = {"word": [f.word[start:end]], "dep": [f.dep[start:end]], "ent": [f.ent[start:end]], "rel": [rel]}
    return dense, ids


def _softmax(logits):
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


class Network:
    """One hidden layer (ReLU) over a dense block and embedded id columns; weights as arrays."""

    def __init__(self, weights, prefix):
        self.embeddings = {k[len(prefix) + 2:]: v.astype(np.float32) for k, v in weights.items() if k.startswith(prefix + "E_")}
        self.w1 = weights[prefix + "w1"].astype(np.float32)
        self.b1 = weights[prefix + "b1"].astype(np.float32)
        self.w2 = weights[prefix + "w2"].astype(np.float32)
        self.b2 = weights[prefix + "b2"].astype(np.float32)

    def inputs(self, dense, ids):
        blocks = [dense]
        for name in sorted(ids):
            table = self.embeddings[name]
            blocks += [table[column] for column in ids[name]]
        return np.hstack(blocks).astype(np.float32, copy=False)

    def probabilities(self, dense, ids):
        hidden = np.maximum(self.inputs(dense, ids) @ self.w1 + self.b1, 0.0)
        return _softmax(hidden @ self.w2 + self.b2)


class SpanScorer:
    """The span tagger's network with its first layer split by input block (the same function
    as ``Network.probabilities`` over ``span_columns``): the part that depends on a token alone
    (its vector, flags, word, label, entity type) is computed once per Doc; per cue only the
    cue head's vector, distances, regions and relations are added."""

    def __init__(self, net, width):
        w1, offset, parts = net.w1, 0, {}
        for name, size in (("token", width), ("head", width), ("flags", N_FLAGS), ("distance", 2 * len(DISTANCES) + 1),
                           ("region", N_REGIONS)):
            parts[name], offset = w1[offset:offset + size], offset + size
        for name in sorted(net.embeddings):  # the order of Network.inputs
            table = net.embeddings[name]
            parts[name], offset = table @ w1[offset:offset + table.shape[1]], offset + table.shape[1]
        if offset != w1.shape[0]:
            raise ValueError("the span network's input does not match span_columns")
        self.parts, self.b1, self.w2, self.b2 = parts, net.b1, net.w2, net.b2

    def tokens(self, f):
        """The first layer's per-token part of a Doc (before the cue's)."""
        p = self.parts
        return f.tensor @ p["token"] + f.flags @ p["flags"] + p["dep"][f.dep] + p["ent"][f.ent] + p["word"][f.word] + self.b1

    def probabilities(self, f, tokens, cue_first, cue_last, start, end):
        """P(O), P(SRC), P(CON) of each token of [start, end) for one cue, given ``tokens(f)``."""
        p = self.parts
        head = cue_head(f, cue_first, cue_last)
        rel, region = relations(f, start, end, cue_first, cue_last, head)
        hidden = tokens[start:end] + f.tensor[head] @ p["head"] + p["distance"][_distance_ids(start, end, cue_first, cue_last)] \
            + p["region"][region] + p["rel"][rel]
        return _softmax(np.maximum(hidden, 0.0) @ self.w2 + self.b2)


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
