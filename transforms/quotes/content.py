"""Content of a cue: the token range a reporting verb, noun or marker reports, as character bounds."""
import re

from transforms.quotes.marks import LINE_BREAK, MARKS, MIN_OBJECT_QUOTE_WORDS, WORD, quote_spans, trimmed
from transforms.reporting_verbs import COMPLEMENT_VERBS, PREPOSITION_VERBS, REPORTING_VERBS, SOURCE_MARKERS


SPEECH, TOPIC, BELIEF = "speech", "topic", "belief"  # what a record reports: words, a topic, a thought (docs/quotes.md)
CLOSING_AFTER = re.compile("[.,!?]?(?:''|[\"\u201d\u00bb])")
OBJECT_DEPS = frozenset({"dobj", "oprd", "prep", "xcomp", "attr", "acomp"})


def _largest_piece(tokens, hole):
    """Largest contiguous run of token indices not in hole, as (first, last)."""
    runs, run = [], []
    for i in tokens:
        if i in hole or (run and i != run[-1] + 1):
            if run:
                runs.append(run)
            run = [] if i in hole else [i]
        else:
            run.append(i)
    if run:
        runs.append(run)
    best = max(runs, key=len, default=None)
    return (best[0], best[-1]) if best else None


def quoted_words(text, doc, first, last):
    """The most words inside one pair of quotation marks within tokens first..last."""
    piece = text[doc[first].idx:doc[last].idx + len(doc[last])]
    return max((len(WORD.findall(piece, a, b)) for a, b in quote_spans(piece)), default=0)


def source_marker(token):
    """Whether token starts a source marker (``according to``)."""
    return token.i + 1 < len(token.doc) and (token.lower_, token.nbor().lower_) in SOURCE_MARKERS


def content_range(verb, text):
    """Token range (first, last) of what a reporting verb reports, or None."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            last = child.right_edge.i
            for low in (c for c in child.rights if low_conjunct(c) == verb):
                last = min(last, low.left_edge.i - 1)
            while last > child.i and (verb.doc[last].dep_ == "cc" or verb.doc[last].is_punct):
                last -= 1
            return child.left_edge.i, last
    if verb.dep_ == "parataxis":
        head = verb.head
        hole = set(range(verb.left_edge.i, verb.right_edge.i + 1))
        return _largest_piece(range(head.left_edge.i, head.right_edge.i + 1), hole)
    objects = [c for c in verb.rights if c.dep_ in OBJECT_DEPS and not source_marker(c)]
    if objects:
        first, last = objects[0].left_edge.i, objects[-1].right_edge.i
        by_preposition = objects[0].lower_ in PREPOSITION_VERBS.get(verb.lower_, ())
        if verb.lower_ in COMPLEMENT_VERBS or by_preposition or quoted_words(text, verb.doc, first, last) >= MIN_OBJECT_QUOTE_WORDS:
            return first, last
    return None


def low_conjunct(verb):
    """The reporting verb a subjectless reporting verb is coordinated with when the parse hung
    it on that verb's clause instead (``Brownell said he makes $41,000 a year and questioned
    how ...``: ``questioned`` is Brownell's, beside ``said``), else None."""
    if verb.dep_ != "conj" or verb.lower_ not in REPORTING_VERBS or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    clause = verb.head
    return clause.head if clause.dep_ == "ccomp" and clause.head.lower_ in REPORTING_VERBS and clause.head.i < verb.i else None


def marker_content_range(marker):
    """Content of 'according to X': the rest of the sentence on the larger side."""
    sent = marker.sent
    hole = set(range(marker.left_edge.i, marker.right_edge.i + 1))
    return _largest_piece(range(sent.start, sent.end), hole)


def char_range(text, doc, token_range):
    """Character bounds of a token range, cut at a line break, edge punctuation other than
    quote marks dropped, extended over the closing mark of a quotation it leaves open."""
    if token_range is None:
        return None
    first, last = token_range
    while first <= last and (doc[first].is_space or doc[first].is_punct and not MARKS.match(doc[first].text)):
        first += 1
    last = next((t.i - 1 for t in doc[first:last + 1] if "\n" in t.text), last)
    while last >= first and doc[last].is_punct and not MARKS.match(doc[last].text):
        last -= 1
    if first > last:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    closing = CLOSING_AFTER.match(text, end)
    if closing and len(MARKS.findall(text, start, end)) % 2:
        end = closing.end()
    return start, end


def line_after_colon(verb, text):
    """The next line, when the verb's sentence ends in a colon there (``The governor added:``)."""
    tail = [t for t in verb.doc[verb.i + 1:verb.sent.end] if not t.is_space]
    if not tail or tail[-1].text != ":" or tail[-1].i - verb.i > 3:
        return None
    brk = LINE_BREAK.match(text, tail[-1].idx + 1)
    if brk is None:
        return None
    end = text.find("\n", brk.end())
    start, end = trimmed(text, brk.end(), len(text) if end < 0 else end)
    return (start, end) if start < end else None


def without_cue(content, verb, first, last):
    """A content token range cut to its largest piece outside the verb and the speaker
    tokens first..last (``which he said were ...`` -> ``were ...``); unchanged when apart."""
    if content is None:
        return None
    hole = {verb.i, *range(first, last + 1)}
    tokens = range(content[0], content[1] + 1)
    return _largest_piece(tokens, hole) if hole.intersection(tokens) else content
