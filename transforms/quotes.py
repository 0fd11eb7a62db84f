"""Quotations and reported speech on a parsed spaCy Doc (rules in docs/quotes.md).

- ``quote_spans``: text between quotation marks (straight, curly, guillemets, ''), paired within
  a line; a mark left open runs to the end of its line, which covers multi-paragraph quotes
  (one record per paragraph) and unbalanced marks.
- ``verb_cues``: a reporting verb with a subject (``X said``, ``said X``, ``X told reporters``);
  its content is the verb's clausal complement, the clause it interrupts (``The plan, he
  said, will fail``) or, for ``COMPLEMENT_VERBS`` (``criticized X``, ``talked about X``; ``call``
  only with the prepositions of ``PREPOSITION_VERBS``) or when it holds a quotation, its object, cut to
  the part outside the cue and the speaker (``which he said were ...`` -> ``were ...``).
  Not cues: ``add`` with a plain object (``add two sessions``); a verb whose only speaker
  candidate is a name inside what it reports (``criticizing Alicia Machado``).
  ``noun_cues``: ``Trump's claim that ...``; ``marker_cues``: ``according to X``.
- A direct quote takes, among the cues on its line in a sentence it overlaps (or in the
  sentence before, when a colon introduces it), the one whose content holds it, else the nearest. Without one it takes a dash attribution (``"..." ― Jane Doe``) or inherits the
  speaker of the previous attributed record (same paragraph, or a direct quote of the previous
  paragraph). An interrupted quote gives two direct records with the same cue and speaker.
- A cue whose content holds a quotation and two more words gives a ``mixed`` record (beside
  the direct one); content without quotation marks an ``indirect`` record.
- A quoted fragment with no cue whose head chain reaches a characterizing verb with a
  speaker-like subject (``Trump likened the refugees to a "vicious snake"``) takes that verb as
  cue (``_governing_cue``).
- A paragraph opening with a person's name and a colon (``PENCE: Well, ...``) is a transcript
  turn: one direct record of the rest of the paragraph, the person as speaker.
- Refused: scare quotes (under MIN_QUOTE_WORDS words unless right next to their cue or, with two
  words, inside what it reports), titles of works, quotes left without any attribution.
"""

import bisect
import re

from transforms.reporting_verbs import (
    CHARACTERIZING_VERBS, COMPLEMENT_VERBS, CUE_NOUNS, PARTICLES_NOT_REPORTING, NON_SPEAKERS, OBJECT_NOT_REPORTED_VERBS, PERSON_NOUNS, PERSON_PRONOUNS,
    PLURAL_PRONOUNS, PREPOSITION_VERBS, REPORTING_VERBS, SOURCE_MARKERS,
)

OPEN_MARKS = "\u201c\u00ab\u201e"
CLOSE_MARKS = "\u201d\u00bb"
MARKS = re.compile("''|[\"\u201c\u201d\u00ab\u00bb\u201e]")  # '' = two apostrophes (NYT style)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
CLOSING_AFTER = re.compile("[.,!?]?(?:''|[\"\u201d\u00bb])")
LINE_BREAK = re.compile(r"\s*\n\s*")
DASH_NAME = re.compile(r"([A-Z](?:\.|[\w'\u2019-]+)(?: [A-Z](?:\.|[\w'\u2019-]+)){1,3})\.?[ \u00a0]*(?:\n|$)")  # "Jane A. Doe"
DASH_ATTRIBUTION = re.compile("[\"\u201d\u00bb][ \u00a0]*([\u2015\u2014\u2013])[ \u00a0]*")
WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
TRANSCRIPT_TURN = re.compile("[\"\u201c]?([A-Z][\\w.'\u2019 -]{0,40}?):[ \u00a0]+(?=\\S)")
MIN_QUOTE_WORDS = 3
AUXILIARY_FORMS = frozenset("is was are were be been being 's has have had do does did".split())  # never govern a quote
MAX_HEAD_STEPS = 8  # how far up the parse a quoted fragment looks for its governing verb
WORK_NOUNS = frozenset("""
book books film films movie movies song songs album albums novel novels show shows series
play article essay poem column headline headlines slogan titled entitled called dubbed named
""".split())
PERSON_LABELS = frozenset({"PERSON"})
ORGANIZATION_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
TEMPORAL_LABELS = frozenset({"DATE", "TIME"})
SPEAKER_ENTITY_LABELS = PERSON_LABELS | {"ORG", "GPE", "NORP"}
NAMED_ORGANIZATION_LABELS = frozenset({"ORG", "GPE"})  # what a description names ("a spokeswoman for the State Department")
# Complements that carry what is reported when there is no clause: always for COMPLEMENT_VERBS
# (``criticized X``), for other verbs only when they hold a quotation of at least
# MIN_OBJECT_QUOTE_WORDS words (``called X "a total disgrace"``).
MIN_OBJECT_QUOTE_WORDS = 2
OBJECT_DEPS = frozenset({"dobj", "oprd", "prep", "xcomp", "attr", "acomp"})
SPEAKER_RIGHT_DEPS = frozenset({"prep", "pobj", "compound", "cc", "conj", "nummod", "amod", "npadvmod"})


def _bounds(text, separator):
    bounds, start = [], 0
    for brk in separator.finditer(text):
        bounds.append((start, brk.start()))
        start = brk.end()
    bounds.append((start, len(text)))
    return bounds


def paragraph_bounds(text):
    """[(start, end)] of the paragraphs of text (separated by blank lines)."""
    return _bounds(text, PARAGRAPH_BREAK)


def _trimmed(text, start, end):
    """Bounds without edge white space and without a trailing comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def quote_spans(text):
    """Yield (start, end) of each quoted content, marks excluded, in text order.

    Marks pair within a line; a closing curly mark opening a line acts as an opening one
    (a common typo); a mark left open runs to the end of its line."""
    for l_start, l_end in _bounds(text, LINE_BREAK):
        open_at = None
        for mark in MARKS.finditer(text, l_start, l_end):
            char, pos = mark.group(), mark.start()
            if open_at is None:
                if char not in CLOSE_MARKS or not text[l_start:pos].strip():
                    open_at = mark.end()
            elif char in OPEN_MARKS:
                open_at = mark.end()
            else:
                start, end = _trimmed(text, open_at, pos)
                if start < end:
                    yield start, end
                open_at = None
        if open_at is not None:
            start, end = _trimmed(text, open_at, l_end)
            if start < end:
                yield start, end


def _next_to(text, span, cue):
    """Whether only punctuation and space separate a quoted span from its cue and speaker."""
    first = min(cue["cue"][0], cue["speaker"][0])
    last = max(cue["cue"][1], cue["speaker"][1])
    if first >= span[1]:
        return not WORD.search(text, span[1], first)
    return last <= span[0] and not WORD.search(text, last, span[0])


def _reported_pair(words, start, end, cue):
    """Whether a short quotation of at least MIN_OBJECT_QUOTE_WORDS words lies inside what its cue reports."""
    content = cue["content"]
    return len(words) >= MIN_OBJECT_QUOTE_WORDS and content is not None and content[0] <= start and end <= content[1]


def is_quotation(text, start, end, cue=None):
    """False for titles of works and for scare quotes: fewer than MIN_QUOTE_WORDS words unless
    the span sits right next to its cue (``"Yes," he said``) or has two words inside what its
    cue reports (``called the plan "a disaster"``)."""
    words = WORD.findall(text, start, end)
    if len(words) < MIN_QUOTE_WORDS and not (cue and (_next_to(text, (start, end), cue) or _reported_pair(words, start, end, cue))):
        return False
    before = WORD.findall(text[max(0, start - 30):start].rpartition("\n")[2])[-2:]
    if any(w in WORK_NOUNS for w in before):
        return False
    long_words = [w for w in words if len(w) > 3]
    title_case = long_words and all(w[0].isupper() for w in long_words)
    return not (title_case and len(words) <= 8 and not re.search(r"[.!?]", text[start:end]))


def _subject(verb, spans):
    """The nsubj of a verb outside the quoted spans (climbing through conjoined verbs and
    relative clauses)."""
    for child in verb.children:
        if child.dep_ == "nsubj" and WORD.match(child.text) and child.ent_type_ not in TEMPORAL_LABELS \
                and not _inside(child.idx, spans) \
                and not any("\n" in t.text for t in verb.doc[min(child.i, verb.i):max(child.i, verb.i)]):
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head
            return None if child.lower_ in NON_SPEAKERS else child
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        return _subject(verb.head, spans)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "After saying ..., she ..."
        return _subject(verb.head.head, spans)
    return None


def _named_after(verb):
    """In ``said French President Emmanuel Macron`` the last token of the name right after
    the verb (before any punctuation, preposition or adverbial), when the parse gave the verb
    no usable subject."""
    for token in verb.doc[verb.i + 1:verb.sent.end]:
        if token.is_punct or token.dep_ in ("prep", "npadvmod", "advmod", "dobj") or token.ent_type_ in TEMPORAL_LABELS:
            return None
        if token.ent_type_ in SPEAKER_ENTITY_LABELS:
            while token.i + 1 < verb.sent.end and token.nbor().ent_iob_ == "I":
                token = token.nbor()
            return token
    return None


def _speaker_bounds(subject, spans):
    """Token range [first, last] of the speaker phrase headed by subject, outside the quoted
    spans and within its line."""
    last = subject.i
    for child in subject.rights:
        if child.dep_ not in SPEAKER_RIGHT_DEPS or child.left_edge.i != last + 1 \
                or any(_inside(t.idx, spans) for t in child.subtree):
            break
        last = child.right_edge.i
    first = subject.left_edge.i
    for token in subject.doc[first:subject.i]:
        if "\n" in token.text or _inside(token.idx, spans):
            first = token.i + 1
    while first < subject.i and (subject.doc[first].is_punct or subject.doc[first].is_space):
        first += 1
    return first, last


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


def _quoted_words(text, doc, first, last):
    """The most words inside one pair of quotation marks within tokens first..last."""
    piece = text[doc[first].idx:doc[last].idx + len(doc[last])]
    return max((len(WORD.findall(piece, a, b)) for a, b in quote_spans(piece)), default=0)


def _content_range(verb, text):
    """Token range (first, last) of what a reporting verb reports, or None."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child.left_edge.i, child.right_edge.i
    if verb.dep_ == "parataxis":
        head = verb.head
        hole = set(range(verb.left_edge.i, verb.right_edge.i + 1))
        return _largest_piece(range(head.left_edge.i, head.right_edge.i + 1), hole)
    objects = [c for c in verb.rights if c.dep_ in OBJECT_DEPS and not _source_marker(c)]
    if objects:
        first, last = objects[0].left_edge.i, objects[-1].right_edge.i
        by_preposition = objects[0].lower_ in PREPOSITION_VERBS.get(verb.lower_, ())
        if verb.lower_ in COMPLEMENT_VERBS or by_preposition or _quoted_words(text, verb.doc, first, last) >= MIN_OBJECT_QUOTE_WORDS:
            return first, last
    return None


def _source_marker(token):
    """Whether token starts a source marker (``according to``)."""
    return token.i + 1 < len(token.doc) and (token.lower_, token.nbor().lower_) in SOURCE_MARKERS


def _marker_content_range(marker):
    """Content of 'according to X': the rest of the sentence on the larger side."""
    sent = marker.sent
    hole = set(range(marker.left_edge.i, marker.right_edge.i + 1))
    return _largest_piece(range(sent.start, sent.end), hole)


def _char_range(text, doc, token_range):
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


def _line_after_colon(verb, text):
    """The next line, when the verb's sentence ends in a colon there (``The governor added:``)."""
    tail = [t for t in verb.doc[verb.i + 1:verb.sent.end] if not t.is_space]
    if not tail or tail[-1].text != ":" or tail[-1].i - verb.i > 3:
        return None
    brk = LINE_BREAK.match(text, tail[-1].idx + 1)
    if brk is None:
        return None
    end = text.find("\n", brk.end())
    start, end = _trimmed(text, brk.end(), len(text) if end < 0 else end)
    return (start, end) if start < end else None


def _inside(pos, spans):
    return any(start <= pos < end for start, end in spans)


def _governing_cue(doc, text, span, spans, mentions):
    """For a quoted fragment with no reporting cue (``Trump likened the refugees to a "vicious
    snake"``): the verb that governs it, outside the quotes, as cue, with its subject as the
    speaker when the subject names a person or organization; its content is the verb's
    complement that holds the fragment. None otherwise."""
    words = doc.char_span(*span, alignment_mode="expand")
    if not words:
        return None
    token = words[0]
    for _ in range(MAX_HEAD_STEPS):
        if token.head.i == token.i:
            return None
        child, token = token, token.head
        if _inside(token.idx, spans) or token.idx > span[0]:
            continue
        if token.lower_ in AUXILIARY_FORMS:
            return None
        subject = _subject(token, spans)
        if subject is None:
            continue
        characterizes = token.lower_ in REPORTING_VERBS or token.lower_ in CHARACTERIZING_VERBS or child.lower_ == "as"
        if not (characterizes and _speaker_like(subject, mentions)):
            return None
        first, last = _speaker_bounds(subject, spans)
        right = [c for c in token.rights if c.dep_ in OBJECT_DEPS or c.i == child.i] or [child]
        complement = (min(right[0].left_edge.i, child.left_edge.i), max(right[-1].right_edge.i, child.right_edge.i))
        return _cue(doc, token.i, token.i, subject, first, last, _char_range(text, doc, complement))
    return None


def _speaker_like(subject, mentions):
    """Whether a subject token can be a speaker: a person or organization mention, a pronoun
    for people, or a noun for people."""
    mention = _mention_at(mentions, subject.idx)
    if mention is not None:
        return mention["label"] in SPEAKER_ENTITY_LABELS
    return subject.lower_ in PERSON_PRONOUNS or subject.lower_ in PLURAL_PRONOUNS or subject.lower_ in PERSON_NOUNS


def _cue(doc, cue_first, cue_last, head, first, last, content):
    return {
        "cue": (doc[cue_first].idx, doc[cue_last].idx + len(doc[cue_last])),
        "speaker": (doc[first].idx, doc[last].idx + len(doc[last])),
        "head": head,
        "content": content,
    }


def _without_cue(content, verb, first, last):
    """A content token range cut to its largest piece outside the verb and the speaker
    tokens first..last (``which he said were ...`` -> ``were ...``); unchanged when apart."""
    if content is None:
        return None
    hole = {verb.i, *range(first, last + 1)}
    tokens = range(content[0], content[1] + 1)
    return _largest_piece(tokens, hole) if hole.intersection(tokens) else content


def _plain_object(verb, text):
    """Whether the verb has a direct object that is not a quotation (``add two sessions``)."""
    return any(c.dep_ == "dobj" and _quoted_words(text, verb.doc, c.left_edge.i, c.right_edge.i) < MIN_OBJECT_QUOTE_WORDS
               for c in verb.children)


def verb_cues(doc, text, spans):
    """Yield a cue for each reporting verb with a speaker (``X said``, ``said X``), outside
    the quoted spans of text (= doc.text)."""
    for token in doc:
        if token.lower_ not in REPORTING_VERBS or not (token.text[0].islower() or token.is_sent_start):
            continue
        if _inside(token.idx, spans) or token.lower_ in OBJECT_NOT_REPORTED_VERBS and _plain_object(token, text):
            continue
        if any(c.dep_ == "prt" and c.lower_ in PARTICLES_NOT_REPORTING for c in token.children):
            continue  # "failed to show up"
        subject = _subject(token, spans)
        named = subject is None and _named_after(token)
        if named and _inside(named.idx, spans):
            continue  # like a subject, a speaker named after the verb is outside the quotes
        content = _content_range(token, text)
        if named and content and content[0] <= named.i <= content[1]:
            continue  # the name after the verb is what it reports (``criticizing Alicia Machado``)
        subject = subject or named
        if not subject:
            continue
        first, last = _speaker_bounds(subject, spans)
        if subject.i > token.i:
            first = max(first, token.i + 1)
        content = _char_range(text, doc, _without_cue(content, token, first, last)) or _line_after_colon(token, text)
        yield _cue(doc, token.i, token.i, subject, first, last, content)


def marker_cues(doc, text, spans):
    """Yield a cue for each source marker (``according to X``) outside the quoted spans."""
    for token in doc[:-1]:
        if not _source_marker(token) or _inside(token.idx, spans):
            continue
        to = token.nbor()
        objects = [c for c in to.children if c.dep_ in ("pobj", "pcomp")
                   and not any(_inside(t.idx, spans) for t in (c.subtree if c.dep_ == "pcomp" else [c]))]
        if objects:
            source = objects[0]
            if source.dep_ == "pcomp":  # "according to show insiders", parsed as a verb phrase
                first, last = source.left_edge.i, source.right_edge.i
                source = doc[last]
            else:
                first, last = _speaker_bounds(source, spans)
            yield _cue(doc, token.i, to.i, source, first, last, _char_range(text, doc, _marker_content_range(token)))


def noun_cues(doc, text, spans):
    """Yield a cue for each reporting noun with a possessor and a that-clause
    (``Trump's claim that ...``) outside the quoted spans."""
    for token in doc:
        if token.lower_ not in CUE_NOUNS or _inside(token.idx, spans):
            continue
        owners = [c for c in token.children if c.dep_ == "poss" and c.lower_ not in NON_SPEAKERS and not _inside(c.idx, spans)]
        clauses = [c for c in token.rights if c.dep_ in ("acl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if owners and clauses:
            first, last = _speaker_bounds(owners[0], spans)
            while last > first and doc[last].dep_ == "case":
                last -= 1
            content = _char_range(text, doc, (clauses[0].left_edge.i, clauses[0].right_edge.i))
            yield _cue(doc, token.i, token.i, owners[0], first, last, content)


def cues(doc, text, spans):
    """Every attribution cue: cue, speaker (bounds and head token) and content bounds."""
    yield from verb_cues(doc, text, spans)
    yield from noun_cues(doc, text, spans)
    yield from marker_cues(doc, text, spans)


def transcript_turns(text, paragraphs, mentions):
    """Yield a cue for each transcript turn: a paragraph opening with a person's name and a
    colon (``PENCE: Well, look, ...``); the name must be a person of the article (its full
    canonical name or last word, any case), the content is the rest of the paragraph."""
    names = {}
    # by length, then by name: a set's order varies with PYTHONHASHSEED, and ties must not
    for canonical in sorted({m["canonical"] for m in mentions if m["label"] == "PERSON"}, key=lambda name: (len(name), name)):
        names[canonical.casefold()] = names[canonical.split()[-1].casefold()] = canonical  # the longest wins
    for start, end in paragraphs:
        turn = TRANSCRIPT_TURN.match(text, start, end)
        name = turn and names.get(turn.group(1).casefold())
        if name:
            content = _trimmed(text, turn.end(), end)
            yield {"cue": (turn.end(1), turn.end(1) + 1), "speaker": turn.span(1), "head": None,
                   "name": name, "content": content}


def _outermost(candidates):
    """The cues that do not lie inside another cue's content (``Ditto said she expects ...``
    reports one attribution, Ditto's); two cues inside each other's content both stay."""
    def holds(outer, inner):
        return outer is not inner and outer["content"] is not None and outer["content"][0] <= inner["cue"][0] < outer["content"][1]
    return [c for c in candidates if not any(holds(o, c) and not holds(c, o) for o in candidates)]


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _outside_quotes(mentions, spans):
    """The mentions that can be speakers: a name inside quotation marks is what the speaker
    talks about ("Coal isn't the villain," he said)."""
    return [m for m in mentions if not (spans and _overlaps(spans[_index_of(spans, m["start_char"])], (m["start_char"], m["end_char"])))]


def _index_of(bounds, pos):
    """Index of the (start, end) bound holding pos (the last one starting at or before it)."""
    return max(bisect.bisect_right(bounds, (pos, float("inf"))) - 1, 0)


def _cue_for_quote(text, sentences, lines, span, candidates):
    """The cue attributing a quoted span: in a sentence the quote overlaps, on the quote's
    line (or in the sentence before, when it ends with a colon), preferring the cue whose
    content holds the quote, then the nearest."""
    line = lines[_index_of(lines, span[0])]
    near = [s for s in sentences if _overlaps(s, (span[0] - 2, span[1] + 3))]
    found = [c for c in candidates
             if line[0] <= c["cue"][0] < line[1] and _inside(c["cue"][0], near)]
    colon = span[0]
    while colon > 0 and text[colon - 1] in " \n\"'\u201c\u00ab":
        colon -= 1
    colon -= 1  # the last character before the spaces and marks that open the quote
    if colon >= 0 and text[colon] == ":":
        before = sentences[_index_of(sentences, colon)]
        found += [c for c in candidates if before[0] <= c["cue"][0] <= colon]
    if not found:
        return None
    holding = [c for c in found if c["content"] and _overlaps(c["content"], span)]
    distance = lambda c: max(span[0] - c["cue"][1], c["cue"][0] - span[1], 0)
    return min(holding or found, key=distance)


def _record(text, kind, span, cue):
    record = {
        "text": text[span[0]:span[1]], "start_char": span[0], "end_char": span[1], "kind": kind,
        "speaker": None, "speaker_mention": None, "speaker_start_char": None,
        "speaker_end_char": None, "speaker_type": None,
        "cue": None, "cue_start_char": None, "cue_end_char": None,
    }
    if cue is not None:
        record.update(cue=text[cue["cue"][0]:cue["cue"][1]], cue_start_char=cue["cue"][0], cue_end_char=cue["cue"][1])
    return record


def _mention_at(mentions, pos):
    for m in mentions:
        if m["start_char"] <= pos < m["end_char"]:
            return m
    return None


def _type_of(label):
    if label in PERSON_LABELS:
        return "person"
    return "organization" if label in ORGANIZATION_LABELS else "other"


def _resolve_pronoun(pronoun, position, earlier, mentions, paragraphs, subjects):
    """(speaker, type) for a pronoun: the most recent of the latest speaker of a compatible
    type in the same or the two previous paragraphs, and the nearest person (he/she) or
    organization (they) named before it in the same paragraph as a grammatical subject (else
    named at all). subjects holds the offsets of subject tokens."""
    wanted = "person" if pronoun in PERSON_PRONOUNS else "organization"
    if pronoun in ("i", "we", "you"):
        return None, "person"
    here = _index_of(paragraphs, position)
    start = paragraphs[here][0]
    named = [m for m in mentions if start <= m["start_char"] < position and _type_of(m["label"]) == wanted]
    as_subject = [m for m in named if any(i in subjects for i in range(m["start_char"], m["end_char"]))]
    nearest = (as_subject or named)[-1] if named else None
    for record in reversed(earlier):
        if record["speaker"] and record["speaker_type"] == wanted:
            recent = here - _index_of(paragraphs, record["start_char"]) <= 2
            if recent and (nearest is None or record["speaker_start_char"] > nearest["start_char"]):
                return record["speaker"], wanted
            break
    if nearest is not None:
        return nearest["canonical"], wanted
    return None, "person" if pronoun in PERSON_PRONOUNS else "other"


def _titled_person(text, start, name_start):
    """Whether the speaker phrase names a person noun right before the name (``chief executive
    Marcus Bell``), whatever label the model gave the name."""
    before = WORD.findall(text, start, name_start)
    return bool(before) and before[-1].lower() in PERSON_NOUNS


def _attribute(record, cue, earlier, mentions, paragraphs, subjects, text):
    """Fill the speaker fields of a record from its cue."""
    start, end = cue["speaker"]
    head = cue["head"]
    record.update(speaker_mention=text[start:end], speaker_start_char=start, speaker_end_char=end)
    if head is None:  # a transcript turn names its person
        record.update(speaker=cue["name"], speaker_type="person")
        return
    mention = _mention_at(mentions, head.idx)
    if mention is not None:
        titled = _titled_person(text, start, mention["start_char"])
        record.update(speaker=mention["canonical"], speaker_type="person" if titled else _type_of(mention["label"]))
    elif head.lower_ in PERSON_PRONOUNS or head.lower_ in PLURAL_PRONOUNS:
        speaker, kind = _resolve_pronoun(head.lower_, start, earlier, mentions, paragraphs, subjects)
        record.update(speaker=speaker, speaker_type=kind)
    else:
        inside = [m for m in mentions if start <= m["start_char"] and m["end_char"] <= end]
        organizations = [m for m in inside if m["label"] in NAMED_ORGANIZATION_LABELS]
        is_person = head.lower_ in PERSON_NOUNS
        speaker = organizations[0]["canonical"] if organizations else None
        record.update(speaker=speaker, speaker_type="person" if is_person else ("organization" if speaker else "other"))


def _words_outside(text, content, spans):
    """Number of words of content that lie outside the quoted spans."""
    count = 0
    for word in WORD.finditer(text, *content):
        if not _inside(word.start(), spans):
            count += 1
    return count


def _dash_attribution(record, text, mentions):
    """Attribute a quote followed by a dash and a name (``"..." ― Jane Doe``): a PERSON mention
    right after the dash, else capitalized words that end the line, with the entity named in
    them if any (``― The New York Times``), else as a person the model missed; False when
    there is neither."""
    dash = DASH_ATTRIBUTION.match(text, record["end_char"] + (text[record["end_char"]:record["end_char"] + 1] in ".,!?"))
    if not dash:
        return False
    mention = next((m for m in mentions if m["start_char"] == dash.end() and m["label"] == "PERSON"), None)
    if mention:
        speaker, kind, (start, end) = mention["canonical"], "person", (mention["start_char"], mention["end_char"])
    else:
        name = DASH_NAME.match(text, dash.end())
        if not name:
            return False
        start, end = name.span(1)
        named = next((m for m in mentions if start <= m["start_char"] and m["end_char"] <= end), None)
        speaker, kind = (named["canonical"], _type_of(named["label"])) if named else (name.group(1), "person")
    record.update(
        speaker=speaker, speaker_mention=text[start:end], speaker_type=kind,
        speaker_start_char=start, speaker_end_char=end,
        cue=dash.group(1), cue_start_char=dash.start(1), cue_end_char=dash.end(1),
    )
    return True


def _inherit(record, earlier, paragraphs):
    """Copy the speaker of the latest quotation (direct or mixed) of the same paragraph or of
    the latest direct quote of the previous one, else of the latest record of the same
    paragraph; False when there is none."""
    here = _index_of(paragraphs, record["start_char"])
    candidates = []
    for source in reversed(earlier):
        distance = here - _index_of(paragraphs, source["start_char"])
        if distance > 1:
            break
        if source["speaker_mention"] is not None and (distance == 0 or source["kind"] == "direct"):
            candidates.append(source)
    quoted = [c for c in candidates if c["kind"] != "indirect"]
    if not candidates:
        return False
    source = (quoted or candidates)[0]
    record.update({k: source[k] for k in record if k.startswith("speaker")})
    return True


def extract_quotes(doc, text, mentions):
    """Quote dicts (schemas/quote.avsc) of a Doc whose text is text, given its linked
    entity mentions."""
    paragraphs = paragraph_bounds(text)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    lines = _bounds(text, LINE_BREAK)
    subjects = {t.idx for t in doc if t.dep_ in ("nsubj", "nsubjpass")}
    turns = list(transcript_turns(text, paragraphs, mentions))
    spans = [s for s in quote_spans(text) if not any(_overlaps(s, (t["speaker"][0], t["content"][1])) for t in turns)]
    candidates = _outermost(list(cues(doc, text, spans)) + turns)
    pending = [(_record(text, "direct", turn["content"], turn), turn) for turn in turns]  # (record, cue or None)
    governing_cues = {}  # by cue span: a verb governing several fragments reports once
    for span in spans:
        cue = _cue_for_quote(text, sentences, lines, span, candidates)
        if cue is None:
            governing = _governing_cue(doc, text, span, spans, mentions)
            if governing is not None and is_quotation(text, *span, cue=governing):
                pending.append((_record(text, "direct", span, governing), governing))
                if governing["content"] and _overlaps(governing["content"], span):
                    governing_cues.setdefault(governing["cue"], governing)
                continue
        if is_quotation(text, *span, cue=cue):
            pending.append((_record(text, "direct", span, cue), cue))
    for cue in candidates + list(governing_cues.values()):
        content = cue["content"]
        if content is None or cue["head"] is None:  # no content, or a transcript turn (direct above)
            continue
        inside = [s for s in spans if _overlaps(s, content)]
        if not inside:
            pending.append((_record(text, "indirect", content, cue), cue))
        elif _words_outside(text, content, inside) >= 2:
            pending.append((_record(text, "mixed", content, cue), cue))
    pending.sort(key=lambda item: (item[0]["start_char"], item[0]["end_char"]))
    speakers = _outside_quotes(mentions, spans)
    records = []
    for record, cue in pending:
        if cue is not None:
            _attribute(record, cue, records, speakers, paragraphs, subjects, text)
        elif not (_dash_attribution(record, text, mentions) or _inherit(record, records, paragraphs)):
            continue
        records.append(record)
    return records
