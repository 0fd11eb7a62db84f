"""The per-token arrays of a Doc that both taggers read, computed once per Doc with
``Doc.to_array`` (``DocFeatures``: word, dependency label, head and entity ids, flags, the
labels of a token's children, the tok2vec tensor), and the model's word tables (``Lexicon``)."""
import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, LOWER, SENT_START
from spacy.strings import hash_string

from transforms.reporting_verbs import BELIEF_NOUNS, BELIEF_VERBS, CUE_NOUNS, REPORTING_VERBS

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
