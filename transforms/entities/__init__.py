"""Article-level named entities on a parsed spaCy Doc.

The bare model tags each span on its own; the article-level pass adds what one article
tells about itself:

1. ``model_mentions``: the model's named spans, trimmed (line breaks, leading "the", titles
   and honorifics on people, scores and a possessive ``'s`` at the edges).
2. ``surname_spans``: a non-PERSON span ending in a known personal name is cut to it.
3. ``repeat_mentions``: an unlabelled repeat of a recognised name (or of a person's surname,
   also in capitals) gets that name's label.
4. ``link_mentions``: each mention gets a canonical name (the full names of one person are
   one; a surname is the person first named with it, unless an honorific says another
   gender; a given name alone is the one person it starts the name of) and every canonical
   entity gets one label by a vote over its mentions, so the same string always carries the
   same label.

Everything returns plain dicts with code-point offsets into the body (end-exclusive).
"""

import re
from bisect import bisect_left
from collections import Counter, defaultdict

from spacy.attrs import IDX, LENGTH

NAMED_LABELS = frozenset({
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
})

TITLES = frozenset("""
mr mrs ms miss dr prof sir dame lord lady rev father sister brother
president vice deputy prime minister secretary chancellor premier governor gov lieutenant lt
senator sen rep representative congressman congresswoman speaker mayor ambassador envoy
judge justice attorney general gen chief executive ceo chairman chairwoman chair director
commissioner treasury commerce trade state defense defence foreign finance interior
king queen prince princess pope archbishop bishop cardinal sheikh
former acting then candidate nominee leader coach captain
""".split())
WORD = re.compile(r"\w+")
HONORIFICS = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}  # the gender an honorific gives a name
HONORIFIC_BEFORE = re.compile(r"\b(mr|mrs|ms|miss)\.?\s*$", re.IGNORECASE)
PRONOUN_GENDERS = {"he": "he", "him": "he", "his": "he", "himself": "he", "she": "she", "her": "she", "hers": "she", "herself": "she"}


def _trim(tokens, label):
    """Tokens of a named span without what the model tends to glue to it: anything after a
    line break, leading 'the', leading titles on people, and edge tokens with no letter
    (scores, possessive 's, stray punctuation)."""
    for i, token in enumerate(tokens):
        if "\n" in token.text:
            tokens = tokens[:i] if i else tokens[1:]
            break
    start, end = 0, len(tokens)
    while start < end - 1 and tokens[start].lower_ == "the":
        start += 1
    if label == "PERSON":
        while start < end - 1 and tokens[start].lower_.rstrip(".") in TITLES:
            start += 1
    while start < end and not any(c.isalpha() for c in tokens[start].text):
        start += 1
    while end > start and (not any(c.isalpha() for c in tokens[end - 1].text) or tokens[end - 1].lower_ in ("'s", "\u2019s")):
        end -= 1
    return tokens[start:end]


def _mention(text, start, end, label):
    return {"text": text[start:end], "label": label, "start_char": start, "end_char": end}


def model_mentions(doc, text):
    """Yield the model's named mentions, trimmed (see ``_trim``); text is doc.text."""
    for ent in doc.ents:
        if ent.label_ not in NAMED_LABELS:
            continue
        tokens = _trim(list(ent), ent.label_)
        if not any(c.isupper() for t in tokens for c in t.text):
            continue  # no capital letter, no name: units and abbreviations of wire tables ("cts", "pct")
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        yield _mention(text, start, end, ent.label_)


def _occurrences(text, words):
    """(start, end) of the non-overlapping occurrences of any of words, left to right, the
    first word winning a tie: re.finditer of their alternation, without compiling a pattern."""
    pos = 0
    while True:
        hits = [(i, n) for n, word in enumerate(words) if (i := text.find(word, pos)) >= 0]
        if not hits:
            return
        start, n = min(hits)
        pos = start + len(words[n])
        yield start, pos


def repeat_mentions(doc, text, mentions):
    """Yield unlabelled repeats of a recognised name (or of the surname of a recognised
    full personal name), as written or in capitals (headlines), with the label that name got.

    A repeat must sit on token boundaries, start with an upper-case letter and overlap no
    existing mention.
    """
    taken = sorted((m["start_char"], m["end_char"]) for m in mentions)  # disjoint, so the ends are sorted too
    starts, ends = [s for s, _ in taken], [e for _, e in taken]
    by_text = defaultdict(Counter)
    for m in mentions:
        names = [m["text"]]
        if m["label"] == "PERSON" and " " in m["text"]:
            names.append(m["text"].split()[-1])
        for name in names:
            if name[:1].isupper() and len(name) > 1:
                by_text[name][m["label"]] += 1
    if not by_text:
        return
    offsets = doc.to_array([IDX, LENGTH])
    token_starts = set(offsets[:, 0].tolist())
    token_ends = set((offsets[:, 0] + offsets[:, 1]).tolist())
    found = []
    for name, labels in by_text.items():
        label = labels.most_common(1)[0][0]
        for start, end in _occurrences(text, (name,) if name.isupper() else (name, name.upper())):
            if start not in token_starts or end not in token_ends:
                continue
            i = bisect_left(starts, end)  # taken[:i] start before this match ends
            if i and ends[i - 1] > start:
                continue
            starts.insert(i, start)
            ends.insert(i, end)
            found.append(_mention(text, start, end, label))
    yield from sorted(found, key=lambda m: m["start_char"])


def _full_names(mentions):
    """Multi-word PERSON mentions by their last word, in text order."""
    names = defaultdict(list)
    for m in mentions:
        words = m["text"].split()
        if m["label"] == "PERSON" and len(words) > 1:
            names[words[-1]].append(m)
    return names


def surname_spans(mentions):
    """Trim a non-PERSON mention that ends in a full personal name, or in its surname, to
    that name ("Later Pence" -> "Pence", "Vice President Mike Pence" -> "Mike Pence"); a
    PERSON mention that glued a word to a name is ``glued_words``' business."""
    full_names = _full_names(mentions)
    fixed = []
    for m in mentions:
        words = m["text"].split()
        if m["label"] != "PERSON" and 1 < len(words) <= 4 and words[-1] in full_names:
            keep = next((f["text"] for f in full_names[words[-1]] if (" " + m["text"]).endswith(" " + f["text"])), words[-1])
            start = m["end_char"] - len(keep)
            m = dict(m, text=keep, start_char=start)
        fixed.append(m)
    return fixed


def _common_word(token, lower_words):
    """Whether a capitalized token is a common word rather than a given name: a stop word
    (``Beneath``, ``a``), a form ending in -ly (``Certainly``), or a word the article also
    writes in lower case (``Said``). Not any form in -ed: ``Ted`` Cruz, ``Jared`` Kushner."""
    lower = token.lower_
    return token.is_stop or lower.endswith("ly") or lower in lower_words


def glued_words(doc, mentions):
    """Cut a PERSON mention whose first word is no part of the name (``Telling Jeb Bush``,
    ``Beneath Clinton``, ``a Donald Trump``, ``Hosting Cook`` beside ``Tim Cook``) to the rest, when the rest is a name of the
    article of its own (a full personal name mentioned elsewhere, or the surname of one) and
    the first word is a form in -ing (the parse may well make ``Hosting`` a compound of the
    name the NER glued it to), or a common word (``_common_word``) that the parse does not
    make a compound of the name. A name written so more than once, a given name (``Barack Obama`` beside
    ``B. Hussein Obama``, even parsed as a preposition) and a lower-case particle (``de
    Blasio``) stay whole, and so does ``Bill Clinton`` beside ``Hillary Clinton``: "Bill" is a
    compound of the surname."""
    full_names = _full_names(mentions)
    people = {m["text"] for m in mentions if m["label"] == "PERSON" and " " in m["text"]}
    written = Counter(m["text"] for m in mentions)
    lower_words = None
    fixed = []
    for m in mentions:
        words = m["text"].split()
        rest = " ".join(words[1:])
        known = rest in people or (len(words) == 2 and any(f["text"] != m["text"] for f in full_names.get(rest, ())))
        if m["label"] == "PERSON" and len(words) > 1 and known and written[m["text"]] == 1 \
                and (words[0][0].isupper() or words[0] in ("a", "an")):
            if lower_words is None:
                lower_words = {t.text for t in doc if t.is_lower}
            first = doc.char_span(m["start_char"], m["start_char"] + len(words[0]))
            if first is not None and len(first) == 1 and (first[0].lower_.endswith("ing") or (
                    first[0].dep_ != "compound" and _common_word(first[0], lower_words))):
                m = dict(m, text=rest, start_char=m["end_char"] - len(rest))
        fixed.append(m)
    return fixed


def _name_tails(mentions):
    """Full personal names (multi-word PERSON mentions that are no ending of a longer one) by
    each of their shorter endings, case-folded ("de blasio" and "blasio" for "Bill de Blasio"),
    in text order."""
    people = [m for m in mentions if m["label"] == "PERSON" and " " in m["text"]]
    endings = lambda m: [" ".join(m["text"].split()[k:]).casefold() for k in range(1, len(m["text"].split()))]
    shorter = {ending for m in people for ending in endings(m)}
    tails = defaultdict(list)
    for m in people:
        if m["text"].casefold() not in shorter:
            for ending in endings(m):
                tails[ending].append(m)
    return tails


def _pronoun_genders(doc, mentions):
    """{start of a full personal name: "he" or "she"} for a name that is the first person of
    its sentence: the gender of the first personal pronoun after it in the sentence, before
    another person is named, a quotation mark or a line break (``Hillary Clinton is beginning
    to shape the role her husband would play``)."""
    people = [m for m in mentions if m["label"] == "PERSON"]
    starts = sorted(m["start_char"] for m in people)
    named = set(starts)
    found = {}
    for m in people:
        span = doc.char_span(m["start_char"], m["end_char"], alignment_mode="expand") if " " in m["text"] else None
        if span is None or len(span) < 2:
            continue
        sentence = span.sent
        if bisect_left(starts, sentence.start_char) < bisect_left(starts, m["start_char"]):
            continue  # a pronoun after a second person named in a sentence is more often the first's
        for token in doc[span.end:sentence.end]:
            if token.is_quote or "\n" in token.text or token.idx in named:
                break
            if token.lower_ in PRONOUN_GENDERS:
                found[m["start_char"]] = PRONOUN_GENDERS[token.lower_]
                break
    return found


def _middle(name):
    """The middle names and initials of a full name, case-folded, without their dots."""
    return tuple(word.rstrip(".").casefold() for word in name.split()[1:-1])


def _people(mentions, tails):
    """{full name: the name of its person}: full names with the same first and last word
    are one person, named as first written, when their middle names agree or one has none
    (``Donald J. Trump`` and ``Donald Trump``, ``George W Bush`` and ``George W. Bush``); a
    name without middle name beside two different ones (``George Bush`` beside ``George W.
    Bush`` and ``George H.W. Bush``) stays a person of its own."""
    full = {m["text"] for members in tails.values() for m in members}
    names = dict.fromkeys(m["text"] for m in mentions if m["text"] in full)  # in text order
    by_ends = defaultdict(list)
    for name in names:
        words = name.casefold().split()
        by_ends[words[0], words[-1]].append(name)
    person = {}
    for group in by_ends.values():
        middles = {_middle(name) for name in group} - {()}
        for name in group:
            same = [other for other in group if _middle(other) == _middle(name)
                    or len(middles) == 1 and () in (_middle(other), _middle(name))]
            person[name] = same[0]
    return person


def honorific(text, start):
    """"he" or "she" when ``Mr.``, ``Mrs.``, ``Ms.`` or ``Miss`` stands right before
    text[start:], else None."""
    found = HONORIFIC_BEFORE.search(text, max(0, start - 6), start)
    return HONORIFICS[found.group(1).lower()] if found else None


def _genders(mentions, tails, person, text, pronouns):
    """{person: "he" or "she"} from an honorific before one of their full names or a pronoun
    after it (``_pronoun_genders``, in pronouns), and for the person a surname names first
    (``_canonical``) the honorific most often written before that surname alone, unless
    another person of that surname has that gender: in an article about Hillary Clinton,
    ``Mrs. Clinton`` is hers, and a ``Mr. Clinton`` is the other Clinton's."""
    seen = defaultdict(Counter)
    for members in tails.values():
        for m in members:
            found = honorific(text, m["start_char"]) or pronouns.get(m["start_char"])
            if found:
                seen[person[m["text"]]][found] += 1
    genders = {name: found.most_common(1)[0][0] for name, found in seen.items() if len(found) == 1}
    alone = defaultdict(Counter)
    for m in mentions:
        if m["text"].casefold() in tails and honorific(text, m["start_char"]):
            alone[m["text"].casefold()][honorific(text, m["start_char"])] += 1
    for ending, found in alone.items():
        (most, n), *rest = found.most_common()
        taken = any(genders.get(person[c["text"]]) == most for c in tails[ending])
        if (not rest or rest[0][1] < n) and not taken:
            genders.setdefault(person[tails[ending][0]["text"]], most)
    return genders


def _given_names(mentions, tails, person, text):
    """{given name: person} for the given names that start the name of one person only, a
    person the article also calls by surname (``Hillary`` for Hillary Clinton beside
    ``Clinton``), unless the article writes the word after a title, as a surname (``President
    Obama``: not the given name of an ``Obama White House`` the model took for a person)."""
    surnames = {m["text"].casefold() for m in mentions if m["text"].casefold() in tails}
    titled = {m["text"] for m in mentions if (WORD.findall(text, max(0, m["start_char"] - 16), m["start_char"]) or [""])[-1].lower() in TITLES}
    firsts = defaultdict(set)
    for name, who in person.items():
        if name.split()[-1].casefold() in surnames and name.split()[0] not in titled:
            firsts[name.split()[0]].add(who)
    return {first: next(iter(people)) for first, people in firsts.items() if len(people) == 1}


def _canonical(mention, tails, spellings, person, genders, text, given):
    """The full personal name a mention stands for, else the name as first written in
    mixed case (for another case of it: a repeat in capitals, ``De Blasio`` after ``de
    Blasio``), else its own text.

    A full name is its person's (``_people``). A mention that is the ending of full names
    whatever its case (``Pence`` and ``PENCE:`` for Mike Pence, ``De Blasio`` for Bill de
    Blasio) is the person first named with it: journalists name the person an article is about
    first and by surname after, and give a relative (Rafael Cruz beside Ted Cruz, Bill beside
    Hillary Clinton) a full name or an honorific. An honorific of the other gender
    (``Mr. Clinton``, ``_genders``) skips that person.
    """
    text_as_written = spellings.get(mention["text"].casefold(), mention["text"])
    if text_as_written in person:
        return person[text_as_written]
    candidates = tails.get(text_as_written.casefold())
    if not candidates:
        return given.get(text_as_written, text_as_written) if mention["label"] == "PERSON" else text_as_written
    named = list(dict.fromkeys(person[c["text"]] for c in candidates))
    title = honorific(text, mention["start_char"])
    if title:
        named = [n for n in named if genders.get(n) == title] or [n for n in named if genders.get(n, title) == title] or named
    return named[0]


def link_mentions(mentions, text="", pronouns=None):
    """Return mentions sorted by offset, each with a canonical name and the voted label;
    text is the body the offsets point into (honorifics before names), pronouns the genders
    of ``_pronoun_genders``.

    The vote counts the mentions written as the canonical name; the other mentions only
    vote when none is written that way. Ties go to the label seen first.
    """
    mentions = sorted(mentions, key=lambda m: m["start_char"])
    tails = _name_tails(mentions)
    person = _people(mentions, tails)
    genders = _genders(mentions, tails, person, text, pronouns or {})
    given = _given_names(mentions, tails, person, text)
    spellings = {}
    for m in mentions:
        if not m["text"].isupper():
            spellings.setdefault(m["text"].casefold(), m["text"])
    for m in (m for members in tails.values() for m in members):
        spellings.setdefault(m["text"].casefold(), m["text"])
    groups = defaultdict(list)
    for m in mentions:
        groups[_canonical(m, tails, spellings, person, genders, text, given)].append(m)
    linked = []
    for canonical, members in groups.items():
        voters = [m for m in members if m["text"] == canonical] or members
        label = Counter(m["label"] for m in voters).most_common(1)[0][0]
        linked.extend(dict(m, label=label, canonical=canonical) for m in members)
    return sorted(linked, key=lambda m: m["start_char"])


def article_mentions(doc, text):
    """All article-level entity mentions of a Doc whose text is text (EntityMention dicts)."""
    mentions = glued_words(doc, surname_spans(list(model_mentions(doc, text))))
    mentions.extend(repeat_mentions(doc, text, mentions))
    return link_mentions(mentions, text, _pronoun_genders(doc, mentions))


def _is_word(char):
    return char.isalnum() or char == "_"  # what \w matches


def _named_in(name, text):
    """Whether name occurs in text with no word character right before or after it."""
    start = text.find(name) if text else -1
    while start >= 0:
        end = start + len(name)
        if not (start and _is_word(text[start - 1])) and not (end < len(text) and _is_word(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def canonical_entities(mentions, body, title=None):
    """Aggregate linked mentions into Entity dicts, ordered by first mention."""
    lead_end = body.find("\n\n")
    lead_end = len(body) if lead_end < 0 else lead_end
    groups = defaultdict(list)
    for m in mentions:
        groups[m["canonical"]].append(m)
    total = len(mentions)
    entities = []
    for canonical, members in groups.items():
        names = {canonical} | {m["text"] for m in members}
        entities.append({
            "canonical": canonical,
            "label": members[0]["label"],
            "mention_count": len(members),
            "first_start_char": min(m["start_char"] for m in members),
            "salience": len(members) / total,
            "in_title": any(_named_in(name, title) for name in names),
            "in_lead": any(m["start_char"] < lead_end for m in members),
        })
    return sorted(entities, key=lambda e: e["first_start_char"])
