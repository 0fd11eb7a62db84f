"""Step 1 of the article-level entities: the model's named spans (``doc.ents``), trimmed of
what the model tends to glue to them: anything after a line break, a leading "the", titles and
honorifics on people (``TITLES``), scores and a possessive ``'s`` at the edges."""

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
