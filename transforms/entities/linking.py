"""Step 4: each mention gets a canonical name, the person its full name, surname or given name
stands for (``names``, ``genders``), and every canonical entity one label by a vote over its
mentions."""
from collections import Counter, defaultdict

from transforms.entities.genders import _genders, honorific
from transforms.entities.names import _given_names, _name_tails, _people


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
