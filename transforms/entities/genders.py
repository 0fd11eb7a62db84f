"""Linking, the genders: the honorific before a name (``honorific``: Mr., Mrs., Ms., Miss) and
the first personal pronoun after it (``_pronoun_genders``) give a person a gender
(``_genders``), which decides which person of a surname ``Mr. Clinton`` is."""
import re
from bisect import bisect_left
from collections import Counter, defaultdict

HONORIFICS = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}  # the gender an honorific gives a name
HONORIFIC_BEFORE = re.compile(r"\b(mr|mrs|ms|miss)\.?\s*$", re.IGNORECASE)
PRONOUN_GENDERS = {"he": "he", "him": "he", "his": "he", "himself": "he", "she": "she", "her": "she", "hers": "she", "herself": "she"}


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
        if m["text"].casefold() in tails and (gender := honorific(text, m["start_char"])):
            alone[m["text"].casefold()][gender] += 1
    for ending, found in alone.items():
        (most, n), *rest = found.most_common()
        taken = any(genders.get(person[c["text"]]) == most for c in tails[ending])
        if (not rest or rest[0][1] < n) and not taken:
            genders.setdefault(person[tails[ending][0]["text"]], most)
    return genders
