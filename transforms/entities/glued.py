"""Step 2: mentions that hold more than a name are cut to it: a non-PERSON span that ends in a
personal name of the article (``surname_spans``: "Later Pence" -> "Pence") and a PERSON span
whose first word is no part of the name (``glued_words``: "Telling Jeb Bush" -> "Jeb Bush")."""
from collections import Counter, defaultdict


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
