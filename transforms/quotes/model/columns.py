"""The taggers' input columns: ``cue_columns``, one row per token of a Doc, for the cue tagger;
for the span tagger, the window it reads around a cue (``window``) and ``span_columns``, which
add where each token stands relative to the cue head (relation, side and distance, region)."""
import numpy as np

from transforms.quotes.model.features import DEP_LABELS

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
