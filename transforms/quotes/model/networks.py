"""The numpy networks: ``Network``, one hidden layer (ReLU) over a dense block and embedded id
columns, and ``SpanScorer``, the span tagger's network with its first layer split by input
block, so that the part of a token alone is computed once per Doc."""
import numpy as np

from transforms.quotes.model.columns import DISTANCES, N_REGIONS, _distance_ids, cue_head, relations
from transforms.quotes.model.features import N_FLAGS


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
