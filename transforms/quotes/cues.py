"""Attribution cues on a parsed Doc: reporting verbs, nouns and markers, governing verbs and transcript turns, each with its speaker phrase and content."""
import re

from transforms.quotes.content import BELIEF, OBJECT_DEPS, SPEECH, TOPIC, char_range, content_range, line_after_colon, low_conjunct, marker_content_range, quoted_words, source_marker, without_cue
from transforms.quotes.marks import MARKS, MIN_OBJECT_QUOTE_WORDS, WORD, inside, overlaps, trimmed
from transforms.quotes.speakers import SPEAKER_ENTITY_LABELS, mention_at
from transforms.reporting_verbs import BELIEF_NOUNS, BELIEF_VERBS, CHARACTERIZING_VERBS, CUE_NOUNS, PARTICLES_NOT_REPORTING, NON_SPEAKERS, OBJECT_CONTROL_VERBS, OBJECT_NOT_REPORTED_VERBS, PERSON_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, REPORTING_VERBS, SPEECH_WORDS


SPEECH_CUE_WORDS = REPORTING_VERBS | CUE_NOUNS | CHARACTERIZING_VERBS | SPEECH_WORDS | {"according"}
CLAUSE_OPENERS = frozenset("that whether if how why what when where who which".split())
CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "mark"})
# closed-class words: a cue of nothing else reports nothing (``is``, ``a``, ``of``, ``then``)
FUNCTION_WORDS = frozenset("""
a an the this that these those some any no not n't nor and or but if then also so too very just only still even
is are was were be been being am 's 're 'm has have had having do does did will would shall should can could may
might must 'll 'd ’s ’re ’m ’ll ’d n’t of in on at by for with from to into onto about as than up down out off
over under after before since until while during through without within between against he she it they we i you
him her them us me his its their our my your who whom whose which what there here
""".split())
SENTENCE_END = ".!?:;)\u2019'\u2026"  # what ends a line of running text
TRANSCRIPT_TURN = re.compile("[\"\u201c]?([A-Z][\\w.'\u2019 -]{0,40}?):[ \u00a0]+(?=\\S)")
AUXILIARY_FORMS = frozenset("is was are were be been being 's has have had do does did".split())  # never govern a quote
MAX_HEAD_STEPS = 8  # how far up the parse a quoted fragment looks for its governing verb
TEMPORAL_LABELS = frozenset({"DATE", "TIME"})
# dependents inside a noun phrase: a model source headed by one is likely a piece of the cue's own
# phrase (``an admission``, ``issues of keen interest``, ``no such praise``), which the parse's source replaces
MODIFIER_DEPS = frozenset({"det", "amod", "nummod", "quantmod", "case", "cc", "advmod", "prt", "punct", "predet", "neg"})
POSSESSIVE_PRONOUNS = frozenset("his her hers their its my our your".split())
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


def _relative_pronoun(verb):
    """The relative pronoun that is the subject of a reporting verb in a relative clause
    (``Trump, who said ...``), or None."""
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in ("who", "which", "that")), None) \
        if verb.dep_ == "relcl" else None


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
    """A cue dict; ``first``/``last`` bound the speaker phrase (None, None: no speaker)."""
    return {
        "cue": (doc[cue_first].idx, doc[cue_last].idx + len(doc[cue_last])),
        "speaker": None if first is None else (doc[first].idx, doc[last].idx + len(doc[last])),
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
        subject = _subject(low_conjunct(token) or token, spans)
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
        relative = _relative_pronoun(token)
        if relative is not None:
            first = last = relative.i  # "Trump, who said ...": the mention as written, resolved to Trump
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


def _noun_source(noun, spans):
    """Who a reporting noun's words are: its possessor (``Trump's claim``), else the object of
    ``by``/``from`` after it (``the suggestion by a potential president``), outside the quotes;
    None when the text names no one (``the debunked claim that ...``)."""
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [o for p in noun.rights if p.dep_ == "prep" and p.lower_ in ("by", "from") for o in p.children if o.dep_ == "pobj"]
    return next((o for o in owners if o.lower_ not in NON_SPEAKERS and not inside(o.idx, spans)), None)


def noun_cues(doc, text, spans):
    """Yield a cue for each reporting noun with a that-clause (``Trump's claim that ...``,
    ``allegations that ...``) outside the quoted spans; its speaker is ``_noun_source``, or
    none."""
    for token in doc:
        if token.lower_ not in CUE_NOUNS or inside(token.idx, spans):
            continue
        clauses = [c for c in token.rights if c.dep_ in ("acl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if not clauses:
            continue
        content = char_range(text, doc, (clauses[0].left_edge.i, clauses[0].right_edge.i))
        category = BELIEF if token.lower_ in BELIEF_NOUNS else SPEECH
        owner = _noun_source(token, spans)
        first = last = None
        if owner is not None:
            first, last = _speaker_bounds(owner, spans)
            while last > first and doc[last].dep_ == "case":
                last -= 1
        yield _cue(doc, token.i, token.i, owner, first, last, content, category)


def _source_head(doc, first, last):
    """The head token of the source phrase doc[first:last + 1]: its root, and of several roots (a
    broken parse) the subject ("Presumptive" hangs off the verb too in "Presumptive Democratic
    nominee Hillary Clinton")."""
    roots = [t for t in doc[first:last + 1] if not first <= t.head.i <= last or t.head.i == t.i]
    return next((t for t in roots if t.dep_ in ("nsubj", "nsubjpass")), roots[0] if roots else doc[last])


def model_cues(doc, text, spans, model, taken=()):
    """The trained model's part (docs/quotes.md, "The trained attribution model"), given the
    cues already taken (the rules'):

    - a rule cue whose content stops before the end of its sentence gets the outer bounds of
      its content and the span tagger's when the two overlap (the parse often ends a clause
      early: ``to ban all Muslims — 1.6 billion ...``), unless that would take in a quotation
      the rule's content does not hold;
    - a rule cue without content (``noted their endorsements``) that the cue tagger also takes
      for a cue gets the span tagger's content when it holds no quotation;
    - yields a cue for every other cue the tagger finds outside the quoted spans, unless it
      holds only function words (``is``, ``a``, ``of``): its source (the span tagger's, else the
      parse's, ``_parse_source``, which also replaces a tagged source headed by a modifier of a
      noun, ``an admission``) with its root token as head, or no speaker when there is none; its
      category by ``model_category``."""
    features = model.features(doc, spans)
    for rule in taken:
        if "name" not in rule and rule["content"] is not None and not _ends_sentence(doc, rule["content"]):
            _extend(doc, text, spans, model, features, rule)
    for cue_first, cue_last, _probability in model.cues(features):
        words = doc[cue_first:cue_last + 1]
        cue_span = (words[0].idx, words[-1].idx + len(words[-1]))
        if inside(cue_span[0], spans) or all(t.is_punct or t.lower_ in FUNCTION_WORDS for t in words):
            continue
        rule = next((other for other in taken if overlaps(cue_span, other["cue"])), None)
        if rule is not None:
            if rule["content"] is None and "name" not in rule:
                _fill(doc, text, spans, model, features, rule)
            continue
        source, content = model.spans(features, cue_first, cue_last)
        content = char_range(text, doc, content)
        if content is None:
            continue
        found = (_source_head(doc, *source), *source) if source is not None else None
        if found is None or _in_cue_phrase(found[0], words):
            found = _parse_source(words, spans) or found
        head, first, last = found or (None, None, None)
        yield _cue(doc, cue_first, cue_last, head, first, last, content, model_category(words, doc, content))


def _in_cue_phrase(head, words):
    """Whether a tagged source headed by head is likely a piece of the cue's own phrase: a
    modifier of a noun (``an admission``, ``issues of keen interest``), a possessive pronoun
    (``their criticism of``), or the object of a preposition of the cue other than ``by``
    (``a cautious note about the jobs report``), but not of ``according to``."""
    if head.dep_ in MODIFIER_DEPS or head.lower_ in POSSESSIVE_PRONOUNS:
        return True
    preposition = head.head
    return head.dep_ == "pobj" and preposition.head in words and preposition.lower_ != "by" and not source_marker(preposition.head)


def _parse_source(words, spans):
    """(head, first, last) of the source the parse gives a model cue: the subject of the cue's
    head, else its possessor (``Trump's claims``), else the subject of the nearest verb above it
    (``Mr. Kamp was more upbeat about``, ``She has not provided details about``, ``they're
    hopeful``; ``Emanuel has made no secret of his frustration``: a possessive pronoun comes
    after it, as PolNeAR marks the subject), unless the cue lies inside that verb's subject; a
    relative pronoun subject stays the mention, as in ``verb_cues``. None when there is none."""
    head = words.root
    owner = next((c for c in head.children if c.dep_ == "poss" and not inside(c.idx, spans)), None)
    subject, verb = _subject(head, spans), head
    if subject is None and owner is not None and owner.lower_ not in POSSESSIVE_PRONOUNS:
        subject = owner
    for _ in range(MAX_HEAD_STEPS):
        if subject is not None or verb.head.i == verb.i or verb.dep_ in ("nsubj", "nsubjpass", "csubj"):
            break
        verb = verb.head
        subject = _subject(verb, spans)
    subject = subject or owner
    if subject is None or words.start <= subject.i < words.end:
        return None
    relative = _relative_pronoun(verb) if subject is not owner else None
    if relative is not None:
        return relative, relative.i, relative.i
    return (subject, *_speaker_bounds(subject, spans))


def _rule_tokens(doc, rule):
    """(cue tokens, speaker token range first..last) of a rule cue."""
    words = doc.char_span(*rule["cue"], alignment_mode="expand")
    speaker = words if rule["speaker"] is None else doc.char_span(*rule["speaker"], alignment_mode="expand")
    return words, speaker.start, speaker.end - 1


def _model_content(doc, text, model, features, rule):
    """The span tagger's content for a rule cue, outside its cue and speaker, as character bounds."""
    words, first, last = _rule_tokens(doc, rule)
    _source, content = model.spans(features, words.start, words.end - 1)
    return char_range(text, doc, without_cue(content, words[0], first, last))


def _ends_sentence(doc, content):
    """Whether only punctuation follows a content (character bounds) in its sentence."""
    last = doc.char_span(*content, alignment_mode="expand")[-1]
    return all(t.is_punct or t.is_space for t in doc[last.i + 1:last.sent.end])


def _extend(doc, text, spans, model, features, rule):
    """Widen a rule cue's content to the outer bounds of it and the span tagger's content when
    they overlap or touch, unless that takes in a quotation the rule's content does not hold."""
    content, mine = _model_content(doc, text, model, features, rule), rule["content"]
    if content is not None and content[0] <= mine[1] and mine[0] <= content[1] \
            and not any(overlaps(content, span) and not overlaps(mine, span) for span in spans):
        rule["content"] = (min(content[0], mine[0]), max(content[1], mine[1]))


def _fill(doc, text, spans, model, features, rule):
    """Give a rule cue without content the span tagger's content, unless it holds a quotation."""
    content = _model_content(doc, text, model, features, rule)
    if content is not None and not any(overlaps(content, span) for span in spans):
        rule["content"] = content
        rule["category"] = model_category(doc.char_span(*rule["cue"], alignment_mode="expand"), doc, content)


def _clausal(doc, content):
    """Whether a content (character bounds) is a clause: it opens with a complementizer or a
    question word (``that ...``, ``whether ...``), or its root has a subject or a marker."""
    words = doc.char_span(*content, alignment_mode="expand")
    if words is None or not len(words):
        return False
    if words[0].lower_ in CLAUSE_OPENERS:
        return True
    return any(c.dep_ in CLAUSE_DEPS and words.start <= c.i < words.end for c in words.root.children)


def model_category(words, doc, content):
    """The category of an attribution whose cue the model found (or whose content it gave):
    belief for a word of thought or evidence (``BELIEF_VERBS``, ``BELIEF_NOUNS``); for a word of
    speech (the rules' reporting verbs, cue nouns and characterizing verbs, ``SPEECH_WORDS``,
    ``according to``) speech when the content is a clause and topic when it is an object or
    complement; belief for any other cue (an attributed intention, stance or finding:
    ``sought``, ``appeared``, ``backing``). A content holding a quotation makes a mixed
    record, which is speech."""
    lowers = {t.lower_ for t in words}
    if lowers & (BELIEF_VERBS | BELIEF_NOUNS):
        return BELIEF
    if lowers & SPEECH_CUE_WORDS:
        return SPEECH if _clausal(doc, content) else TOPIC
    return BELIEF


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
