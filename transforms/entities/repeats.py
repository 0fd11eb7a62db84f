"""Step 3: an unlabelled repeat of a recognised name, or of a person's surname, also in
capitals (headlines), becomes a mention with that name's label."""
from bisect import bisect_left
from collections import Counter, defaultdict

from spacy.attrs import IDX, LENGTH

from transforms.entities.mentions import _mention


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
