"""Speaker fields of a record: the entity under the cue's subject, pronouns, descriptions, dash attributions and inherited speakers."""
import re

from transforms.entities import honorific
from transforms.quotes.marks import WORD, index_of, inside, overlaps
from transforms.reporting_verbs import PERSON_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS


DASH_NAME = re.compile(r"([A-Z](?:\.|[\w'\u2019-]+)(?: [A-Z](?:\.|[\w'\u2019-]+)){1,3})\.?[ \u00a0]*(?:\n|$)")  # "Jane A. Doe"
# a closing mark, then a dash on its line or opening the next line ("..."\n\n- Sanders.), then the name
DASH_ATTRIBUTION = re.compile("[\"\u201d\u00bb](?:[ \u00a0]*([\u2015\u2014\u2013])|[ \u00a0]*\n(?:[ \u00a0]*\n)?([\u2015\u2014\u2013-]))[ \u00a0]*")
PERSON_LABELS = frozenset({"PERSON"})
ORGANIZATION_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
SPEAKER_ENTITY_LABELS = PERSON_LABELS | {"ORG", "GPE", "NORP"}
NAMED_ORGANIZATION_LABELS = frozenset({"ORG", "GPE"})  # what a description names ("a spokeswoman for the State Department")
OPENING = " \n\u00a0\"'\u201c\u00ab\u201e"  # what may stand between a colon and the quotation it opens
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})  # a model source can be one ("Sanders, who said ...")


def mention_at(mentions, pos):
    for m in mentions:
        if m["start_char"] <= pos < m["end_char"]:
            return m
    return None


def _type_of(label):
    if label in PERSON_LABELS:
        return "person"
    return "organization" if label in ORGANIZATION_LABELS else "other"


def outside_quotes(mentions, spans):
    """The mentions that can be speakers: a name inside quotation marks is what the speaker
    talks about ("Coal isn't the villain," he said)."""
    return [m for m in mentions if not (spans and overlaps(spans[index_of(spans, m["start_char"])], (m["start_char"], m["end_char"])))]


def _genders(text, mentions, earlier):
    """{canonical name: "he" or "she"} for the people whose gender the text makes clear: a
    title before a mention (``Mr. Kaine``, ``Mrs. Clinton``) or an earlier record whose he or
    she resolved to them; a name with both is left out."""
    seen = {}
    for m in mentions:
        if m["label"] in PERSON_LABELS and (gender := honorific(text, m["start_char"])):
            seen.setdefault(m["canonical"], set()).add(gender)
    for record in earlier:
        if record["speaker"] and (record["speaker_mention"] or "").lower() in ("he", "she"):
            seen.setdefault(record["speaker"], set()).add(record["speaker_mention"].lower())
    return {name: found.pop() for name, found in seen.items() if len(found) == 1}


def _resolve_pronoun(pronoun, position, earlier, mentions, paragraphs, subjects, text):
    """(speaker, type) for a pronoun: the most recent of the latest speaker of a compatible
    type in the same or the two previous paragraphs, and the nearest person (he/she) or
    organization (they) named before it in the same paragraph as a grammatical subject (else
    named at all); he and she skip a person of the other gender (``_genders``). subjects
    holds the offsets of subject tokens."""
    wanted = "person" if pronoun in PERSON_PRONOUNS else "organization"
    if pronoun in ("i", "we", "you"):
        return None, "person"
    genders = _genders(text, mentions, earlier) if pronoun in ("he", "she") else {}
    agrees = lambda name: genders.get(name, pronoun) == pronoun
    here = index_of(paragraphs, position)
    start = paragraphs[here][0]
    named = [m for m in mentions if start <= m["start_char"] < position and _type_of(m["label"]) == wanted and agrees(m["canonical"])]
    as_subject = [m for m in named if any(i in subjects for i in range(m["start_char"], m["end_char"]))]
    nearest = (as_subject or named)[-1] if named else None
    for record in reversed(earlier):
        if record["speaker"] and record["speaker_type"] == wanted and agrees(record["speaker"]):
            recent = here - index_of(paragraphs, record["start_char"]) <= 2
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


def _named_apposition(head, end, mentions, text):
    """(PERSON mention, end of the apposition) of a person named in apposition to a
    description right after its phrase (``the other candidate on the stage, former Secretary
    of State Hillary Clinton, drew ...``), or None."""
    for child in head.rights:
        if child.dep_ != "appos" or child.left_edge.idx < end or text[end:child.left_edge.idx].strip() != ",":
            continue
        mention = mention_at(mentions, child.idx)
        if mention is not None and mention["label"] in PERSON_LABELS:
            return mention, child.right_edge.idx + len(child.right_edge)
    return None


def attribute(record, cue, earlier, mentions, paragraphs, subjects, text):
    """Fill the speaker fields of a record from its cue (none for a cue without a source).

    ``speaker_mention`` and its offsets are the source phrase as written; ``speaker`` the
    entity it names: for a pronoun its antecedent, and so for a relative pronoun that a
    model source can be (``who``), the noun the relative clause hangs on."""
    if cue["speaker"] is None:
        return
    start, end = cue["speaker"]
    head = cue["head"]
    record.update(speaker_mention=text[start:end], speaker_start_char=start, speaker_end_char=end)
    if "name" in cue:  # a transcript turn names its person
        record.update(speaker=cue["name"], speaker_type="person")
        return
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
        head = head.head.head  # "Sanders, who said ...": the antecedent speaks; the mention stays as written
        start, end = head.left_edge.idx, head.idx + len(head)
    mention = mention_at(mentions, head.idx)
    if mention is not None:
        titled = _titled_person(text, start, mention["start_char"])
        record.update(speaker=mention["canonical"], speaker_type="person" if titled else _type_of(mention["label"]))
    elif head.lower_ in PERSON_PRONOUNS or head.lower_ in PLURAL_PRONOUNS:
        speaker, kind = _resolve_pronoun(head.lower_, start, earlier, mentions, paragraphs, subjects, text)
        record.update(speaker=speaker, speaker_type=kind)
    else:
        within = [m for m in mentions if start <= m["start_char"] and m["end_char"] <= end]
        if head.lower_ in PERSON_NOUNS:  # a description names the person only in apposition (", Heather Nauert")
            named = [m for m in within if m["label"] in PERSON_LABELS and text[:m["start_char"]].rstrip().endswith(",")]
            apposition = _named_apposition(head, end, mentions, text)
            if not named and apposition is not None:  # the phrase stopped at the comma before it
                named = [apposition[0]]
                record.update(speaker_mention=text[start:apposition[1]], speaker_end_char=apposition[1])
            record.update(speaker=named[0]["canonical"] if named else None, speaker_type="person")
            return
        organizations = [m for m in within if m["label"] in NAMED_ORGANIZATION_LABELS]
        speaker = organizations[0]["canonical"] if organizations else None
        record.update(speaker=speaker, speaker_type="organization" if speaker else "other")


def dash_attribution(record, text, mentions):
    """Attribute a quote followed by a dash and a name (``"..." ― Jane Doe``, or a line
    ``- Sanders.`` after the quotation's paragraph): a PERSON mention
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
        cue=dash.group(dash.lastindex), cue_start_char=dash.start(dash.lastindex), cue_end_char=dash.end(dash.lastindex),
    )
    return True


def introducers(doc, spans, mentions):
    """[(start, end, cue)] of the sentences whose main verb has a subject who can speak (a
    person or organization mention, he or she, a person noun) outside the quoted
    spans: the sentence bounds and a cue holding only the speaker phrase (``speaker``,
    ``head``) for ``attribute``; see ``_introduced``."""
    from transforms.quotes.cues import _speaker_bounds, _speaker_like, _subject  # cues imports this module
    found = []
    for sentence in doc.sents:
        verb = sentence.root
        if inside(verb.idx, spans):  # the quotation's verb: the clause before it introduces it ("Clinton apologized: ...")
            verb = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i and not inside(c.idx, spans)), None)
            if verb is None:
                continue
        subject = _subject(verb, spans)
        if subject is None or subject.lower_ in ("i", "we", "you", "they") or not _speaker_like(subject, mentions):
            continue  # the author, or "they" for things as often as for people
        first, last = _speaker_bounds(subject, spans)
        speaker = (doc[first].idx, doc[last].idx + len(doc[last]))
        found.append((sentence.start_char, sentence.end_char, {"speaker": speaker, "head": subject, "cue": None}))
    return found


def _introduced(record, introductions, paragraphs, text):
    """(sentence start, cue) of the sentence that introduces a quote without a cue: the
    quote's own sentence when the quote opens it (``"Let me help you out," Pence riffed``) or
    follows its colon (``She went on: "It's like ..."``), else the sentence right before a
    quote that opens a sentence, in the same paragraph (``Dianne Bystrom agreed.
    "Mainstream Republicans are running out of time."``); None when there is none. Any other
    quote inside a sentence is left to ``governing_cue``."""
    position = record["start_char"]
    paragraph_start = paragraphs[index_of(paragraphs, position)][0]
    for start, end, cue in reversed(introductions):
        if end <= paragraph_start:
            return None
        if start <= position < end:  # the quote's own sentence: the quote opens it, or follows its colon
            opens = not WORD.search(text, start, position)
            colon = text[start:position].rstrip(OPENING).endswith(":") and cue["speaker"][1] < position
            return (start, cue) if opens or colon else None
        if end <= position:
            return (start, cue) if not WORD.search(text, end, position) else None
    return None


def inherit(record, earlier, paragraphs, text, introductions=(), mentions=(), subjects=()):
    """Copy the speaker of an attributed record of the same paragraph (the latest quotation,
    direct or mixed, else the latest record), else of the previous paragraph (its latest
    quotation, else its latest record: of any kind when the quote stands alone, opening its
    paragraph, else only a direct one); False when there is none. A record of the quote's own
    paragraph comes first: there the writer has named who speaks (``Ghazala Khan says she
    received a call from her niece. "She called me ..."``). Before them all, the subject of
    the sentence introducing the quote (``_introduced``), unless a record of the paragraph
    starts after that sentence does, or it names the speaker of the paragraph's latest
    quotation, which the quote then continues (one record with fragments)."""
    here = index_of(paragraphs, record["start_char"])
    alone = not WORD.search(text, paragraphs[here][0], record["start_char"])
    same, before = [], []
    for source in reversed(earlier):
        distance = here - index_of(paragraphs, source["start_char"])
        if distance > 1:
            break
        if source["speaker_mention"] is not None and (distance == 0 or alone or source["kind"] == "direct"):
            (same if distance == 0 else before).append(source)
    candidates = same or before
    quoted = [c for c in candidates if c["kind"] != "indirect"]
    introduced = _introduced(record, introductions, paragraphs, text)
    if introduced is not None and not any(c["start_char"] >= introduced[0] for c in same):
        attribute(record, introduced[1], earlier, mentions, paragraphs, subjects, text)
        if not (record["speaker"] and same and quoted and quoted[0]["speaker"] == record["speaker"]):
            return True
        # the quotation before in the paragraph is the same person's ("... ," said Robin Maynard. He
        # holds two degrees. "But I like ..."): the quote continues it, with its speaker phrase
    if not candidates:
        return False
    source = (quoted or candidates)[0]
    record.update({k: source[k] for k in record if k.startswith("speaker")})
    return True
