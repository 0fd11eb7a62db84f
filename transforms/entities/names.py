"""Linking, the names: full personal names by their endings (surnames, ``_name_tails``), the
full names that are one person (``_people``: middle names and initials) and the given names
that stand for one person alone (``_given_names``)."""
import re
from collections import defaultdict

from transforms.entities.mentions import TITLES

WORD = re.compile(r"\w+")


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
