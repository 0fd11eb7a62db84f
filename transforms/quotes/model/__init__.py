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

One module a part: ``features`` (the per-token arrays of a Doc and the word tables),
``columns`` (each tagger's input rows: per token, per cue window), ``networks`` (the numpy
layers) and ``taggers`` (``AttributionModel``: loading the weights, cues and spans from the
probabilities).
"""
from transforms.quotes.model.columns import N_RELS, cue_columns, span_columns, window
from transforms.quotes.model.features import DEP_LABELS, ENT_LABELS, DocFeatures, Lexicon, lexicon_lists
from transforms.quotes.model.taggers import CUE_LABELS, MODEL_FILE, MODEL_VERSION, SPAN_LABELS, AttributionModel

__all__ = [
    "CUE_LABELS", "DEP_LABELS", "ENT_LABELS", "MODEL_FILE", "MODEL_VERSION", "N_RELS", "SPAN_LABELS", "AttributionModel",
    "DocFeatures", "Lexicon", "cue_columns", "lexicon_lists", "span_columns", "window",
]
