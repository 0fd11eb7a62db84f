"""Attribution cues on a parsed Doc: reporting verbs, nouns and markers, governing verbs and transcript turns, each with its speaker phrase and content."""
import re

from transforms.quotes.content import BELIEF, OBJECT_DEPS, SPEECH, TOPIC, char_range, content_range, line_after_colon, marker_content_range, quoted_words, source_marker, without_cue
from transforms.quotes.marks import MARKS, MIN_OBJECT_QUOTE_WORDS, WORD, inside, trimmed
from transforms.quotes.speakers import SPEAKER_ENTITY_LABELS, mention_at
from transforms.reporting_verbs import BELIEF_NOUNS, BELIEF_VERBS, CHARACTERIZING_VERBS, CUE_NOUNS, PARTICLES_NOT_REPORTING, NON_SPEAKERS, OBJECT_CONTROL_VERBS, OBJECT_NOT_REPORTED_VERBS, PERSON_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, REPORTING_VERBS


SENTENCE_END = ".!?:;)\u2019'\u2026"  # what ends a line of running text
TRANSCRIPT_TURN = re.compile("[\"\u201c]?([A-Z][\\w.'\u2019 -]{0,40}?):[ \u00a0]+(?=\\S)")
AUXILIARY_FORMS = frozenset("is was are were be been being 's has have had do does did".split())  # never govern a quote
MAX_HEAD_STEPS = 8  # how far up the parse a quoted fragment looks for its governing verb
TEMPORAL_LABELS = frozenset({"DATE", "TIME"})
SPEAKER_RIGHT_DEPS = frozenset({"prep", "pobj", "compound", "cc", "conj", "nummod", "amod", "npadvmod"})


def _subject(verb, spans):
    """The nsubj of a verb outside the quoted spans (climbing through conjoined verbs and
    relative clauses)."""
    for child in verb.children:
        if child.dep_ == "nsubj" and WORD.match(child.text) and child.ent_type_ not in TEMPORAL_LABELS \
                and not inside(child.idx, spans) \
                and not any("\n" in t.text for t in verb.doc[min(child.i, verb.i):max(child.i, verb.i)]):
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return None if inside(verb.head.idx, spans) else verb.head  # the antecedent, outside the quotes too
            return None if child.lower_ in NON_SPEAKERS else child
    agents = [c for c in verb.children if c.dep_ == "agent"] if verb.dep_ in ("conj", "advcl", "xcomp", "pcomp") else []
    for agent in agents:  # "When asked by a reporter whether ..., he said": the reporter asks, not "he"
        for source in agent.children:
            if source.dep_ == "pobj" and WORD.match(source.text) and not inside(source.idx, spans) and source.lower_ not in NON_SPEAKERS:
                return source
    if verb.dep_ == "xcomp" and verb.head.lower_ in OBJECT_CONTROL_VERBS:  # "led Debbie Wasserman Schultz to announce"
        objects = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i and WORD.match(c.text)
                   and not inside(c.idx, spans) and c.lower_ not in NON_SPEAKERS]
        if objects:
            return objects[0]
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
                or any(inside(t.idx, spans) for t in child.subtree):
            break
        last = child.right_edge.i
    first = subject.left_edge.i
    for token in subject.doc[first:subject.i]:
        if "\n" in token.text or inside(token.idx, spans):
            first = token.i + 1
    while first < subject.i and (subject.doc[first].is_punct or subject.doc[first].is_space):
        first += 1
    return first, last


def _speaker_like(subject, mentions):
    """Whether a subject token can be a speaker: a person or organization mention, a pronoun
    for people, or a noun for people."""
    mention = mention_at(mentions, subject.idx)
    if mention is not None:
        return mention["label"] in SPEAKER_ENTITY_LABELS
    return subject.lower_ in PERSON_PRONOUNS or subject.lower_ in PLURAL_PRONOUNS or subject.lower_ in PERSON_NOUNS


def _cue(doc, cue_first, cue_last, head, first, last, content, category=SPEECH):
    return {
        "cue": (doc[cue_first].idx, doc[cue_last].idx + len(doc[cue_last])),
        "speaker": (doc[first].idx, doc[last].idx + len(doc[last])),
        "head": head,
        "content": content,
        "category": category,
    }


def _category(verb, content):
    """belief for a verb of thought or evidence (``thinks``, ``the data show``), topic for a
    speech act reported by its object only (``talked about the economy``, ``called for an
    inquiry``), else speech."""
    if verb.lower_ in BELIEF_VERBS:
        return BELIEF
    by_clause = verb.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in verb.children)
    return SPEECH if by_clause or content is None else TOPIC


def _plain_object(verb, text):
    """Whether the verb has a direct object that is not a quotation (``add two sessions``)."""
    return any(c.dep_ == "dobj" and quoted_words(text, verb.doc, c.left_edge.i, c.right_edge.i) < MIN_OBJECT_QUOTE_WORDS
               for c in verb.children)


def governing_cue(doc, text, span, spans, mentions):
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
        if inside(token.idx, spans) or token.idx > span[0]:
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
        return _cue(doc, token.i, token.i, subject, first, last, char_range(text, doc, complement))
    return None


def _boilerplate(text, verb, subject):
    """Whether a verb sits on a site line rather than in a sentence (``Story continues below
    advertisement``, ``READ MORE: Poll shows ...``): a line without sentence punctuation at its
    end and without quotation marks, whose subject names no one who could speak."""
    start = text.rfind("\n", 0, verb.idx) + 1
    end = text.find("\n", verb.idx)
    line = text[start:len(text) if end < 0 else end].rstrip()
    if not line or line[-1] in SENTENCE_END or MARKS.search(line):
        return False
    return not (subject.ent_type_ in SPEAKER_ENTITY_LABELS or subject.lower_ in PERSON_PRONOUNS
                or subject.lower_ in PLURAL_PRONOUNS or subject.lower_ in PERSON_NOUNS)


def verb_cues(doc, text, spans):
    """Yield a cue for each reporting verb with a speaker (``X said``, ``said X``), outside
    the quoted spans of text (= doc.text)."""
    for token in doc:
        if token.lower_ not in REPORTING_VERBS or not (token.text[0].islower() or token.is_sent_start):
            continue
        if inside(token.idx, spans) or token.lower_ in OBJECT_NOT_REPORTED_VERBS and _plain_object(token, text):
            continue
        if any(c.dep_ == "prt" and c.lower_ in PARTICLES_NOT_REPORTING for c in token.children):
            continue  # "failed to show up"
        subject = _subject(token, spans)
        named = subject is None and _named_after(token)
        if named and inside(named.idx, spans):
            continue  # like a subject, a speaker named after the verb is outside the quotes
        content = content_range(token, text)
        if named and content and content[0] <= named.i <= content[1]:
            continue  # the name after the verb is what it reports (``criticizing Alicia Machado``)
        subject = subject or named
        if not subject or _boilerplate(text, token, subject):
            continue
        first, last = _speaker_bounds(subject, spans)
        if subject.i > token.i:
            first = max(first, token.i + 1)
        category = _category(token, content)
        content = char_range(text, doc, without_cue(content, token, first, last))
        if content is None:
            content, category = line_after_colon(token, text), SPEECH
        yield _cue(doc, token.i, token.i, subject, first, last, content, category)


def marker_cues(doc, text, spans):
    """Yield a cue for each source marker (``according to X``) outside the quoted spans."""
    for token in doc[:-1]:
        if not source_marker(token) or inside(token.idx, spans):
            continue
        to = token.nbor()
        objects = [c for c in to.children if c.dep_ in ("pobj", "pcomp")
                   and not any(inside(t.idx, spans) for t in (c.subtree if c.dep_ == "pcomp" else [c]))]
        if objects:
            source = objects[0]
            if source.dep_ == "pcomp":  # "according to show insiders", parsed as a verb phrase
                first, last = source.left_edge.i, source.right_edge.i
                source = doc[last]
            else:
                first, last = _speaker_bounds(source, spans)
            yield _cue(doc, token.i, to.i, source, first, last, char_range(text, doc, marker_content_range(token)))


def noun_cues(doc, text, spans):
    """Yield a cue for each reporting noun with a possessor and a that-clause
    (``Trump's claim that ...``) outside the quoted spans."""
    for token in doc:
        if token.lower_ not in CUE_NOUNS or inside(token.idx, spans):
            continue
        owners = [c for c in token.children if c.dep_ == "poss" and c.lower_ not in NON_SPEAKERS and not inside(c.idx, spans)]
        clauses = [c for c in token.rights if c.dep_ in ("acl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if owners and clauses:
            first, last = _speaker_bounds(owners[0], spans)
            while last > first and doc[last].dep_ == "case":
                last -= 1
            content = char_range(text, doc, (clauses[0].left_edge.i, clauses[0].right_edge.i))
            yield _cue(doc, token.i, token.i, owners[0], first, last, content, BELIEF if token.lower_ in BELIEF_NOUNS else SPEECH)


def _parse_source(doc, cue_first, cue_last, spans):
    """Token range [first, last] of the speaker phrase of a model cue the model gave no source:
    the subject of the cue's highest token, found as for a rule cue (``_subject``), when it can
    speak (a person, organization or group named, a pronoun for people, a person noun: not
    ``The baggage``); None otherwise."""
    head = next((doc[i] for i in range(cue_first, cue_last + 1) if not cue_first <= doc[i].head.i <= cue_last
                 or doc[i].head.i == i), doc[cue_first])
    subject = _subject(head, spans)
    if subject is None or cue_first <= subject.i <= cue_last or not (
            subject.ent_type_ in SPEAKER_ENTITY_LABELS or subject.lower_ in PERSON_PRONOUNS
            or subject.lower_ in PLURAL_PRONOUNS or subject.lower_ in PERSON_NOUNS):
        return None
    return _speaker_bounds(subject, spans)


def model_cues(doc, text, spans, model):
    """Yield a cue for each attribution the trained model finds with its cue outside the
    quoted spans: the source's root token is the head (no speaker when there is no source),
    the category belief for a cue word of thought or evidence."""
    for (cue_first, cue_last), source, content in model.attributions(doc):
        if inside(doc[cue_first].idx, spans):
            continue
        content = char_range(text, doc, content)
        if content is None:
            continue
        words = {t.lower_ for t in doc[cue_first:cue_last + 1]}
        category = BELIEF if words & (BELIEF_VERBS | BELIEF_NOUNS) else SPEECH
        cue = _cue(doc, cue_first, cue_last, None, cue_first, cue_last, content, category)
        source = source or _parse_source(doc, cue_first, cue_last, spans)
        if source is None:
            cue["speaker"] = None
        else:
            first, last = source
            roots = [t for t in doc[first:last + 1] if not first <= t.head.i <= last or t.head.i == t.i]
            # of several roots (a broken parse), the subject: "Presumptive" hangs off the verb too
            head = next((t for t in roots if t.dep_ in ("nsubj", "nsubjpass")), roots[0] if roots else doc[last])
            cue.update(speaker=(doc[first].idx, doc[last].idx + len(doc[last])), head=head)
        yield cue


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
            content = trimmed(text, turn.end(), end)
            yield {"cue": (turn.end(1), turn.end(1) + 1), "speaker": turn.span(1), "head": None,
                   "name": name, "content": content, "category": SPEECH}
