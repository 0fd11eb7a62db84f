"""Map offsets in a record's normalized ``body`` back onto the gold text it came from.

The pipeline collapses whitespace, joins wrapped lines, drops a dateline, a repeated title and
trailing footers, and separates paragraphs by a blank line; words stay as written. Each body
paragraph is found in the gold text as its words with ``\\s+`` between them, in order, in
the gold as the normalizer leaves it (NFC, no control or zero-width characters).
"""
import re
import unicodedata

from transforms.normalize import _CONTROL as DROPPED  # what normalize_text deletes


def _normalized(gold: str) -> tuple[str, list[tuple[int, int]]]:
    """``gold`` NFC-composed per character cluster without the dropped characters, and for each
    of its characters the (start, end) of the gold cluster it comes from."""
    chars, spans, i = [], [], 0
    while i < len(gold):
        end = i + 1
        while end < len(gold) and unicodedata.combining(gold[end]):
            end += 1
        for char in unicodedata.normalize("NFC", DROPPED.sub("", gold[i:end])):
            chars.append(char)
            spans.append((i, end))
        i = end
    return "".join(chars), spans


def body_to_gold(body: str, gold: str) -> list[tuple[int, int] | None]:
    """For each body position, the gold (start, end) of the same character (None if unaligned).

    A space between two words maps to the empty span at the start of the gold whitespace run;
    the blank lines between paragraphs and paragraphs not found in ``gold`` map to None."""
    cleaned, spans = _normalized(gold)
    positions: list[tuple[int, int] | None] = [None] * len(body)
    body_start, cursor = 0, 0
    for paragraph in body.split("\n\n"):
        words = list(re.finditer(r"\S+", paragraph))
        pattern = r"\s+".join(f"({re.escape(w.group())})" for w in words)
        found = re.compile(pattern).search(cleaned, cursor) if words else None
        if found:
            for k, word in enumerate(words, start=1):
                for j in range(len(word.group())):
                    positions[body_start + word.start() + j] = spans[found.start(k) + j]
                if k < len(words):
                    gap = spans[found.end(k)][0]
                    for j in range(word.end(), words[k].start()):
                        positions[body_start + j] = (gap, gap)
            cursor = found.end()
        body_start += len(paragraph) + 2
    return positions


def map_span(positions: list[tuple[int, int] | None], start: int, end: int) -> tuple[int, int] | None:
    """The gold (start, end) of a non-empty body span, or None when either edge is unaligned."""
    if not 0 <= start < end <= len(positions):
        return None
    first, last = positions[start], positions[end - 1]
    if first is None or last is None:
        return None
    return first[0], last[1]


def map_item(item: dict, positions: list[tuple[int, int] | None], prefixes: tuple[str, ...]) -> tuple[dict | None, int]:
    """``item`` with each ``<prefix>start_char``/``end_char`` pair moved to gold offsets, and how
    many spans could not be mapped.

    The first prefix is the item's own span: unmapped, the item is dropped, (None, 1). Any other
    unmapped span (a speaker, a cue) becomes None and is counted."""
    mapped, dropped = dict(item), 0
    for i, prefix in enumerate(prefixes):
        start, end = item[prefix + "start_char"], item[prefix + "end_char"]
        if start is None:
            continue
        span = map_span(positions, start, end)
        if span is None:
            dropped += 1
            if i == 0:
                return None, dropped
            span = (None, None)
        mapped[prefix + "start_char"], mapped[prefix + "end_char"] = span
    return mapped, dropped


def map_records(docs: list, records: dict, field: str, prefixes: tuple[str, ...]) -> tuple[list, int]:
    """Per gold doc, the items of its record's ``field`` (quotes, entities) moved onto the doc's
    ``text``, and the number of unmapped spans; a doc without a record (a dead letter) gets []."""
    predicted, unmapped = [], 0
    for doc in docs:
        record = records.get(doc["id"])
        positions = body_to_gold(record["body"], doc["text"]) if record else []
        items = []
        for item in record[field] if record else []:
            mapped, dropped = map_item(item, positions, prefixes)
            unmapped += dropped
            items += [mapped] if mapped else []
        predicted.append(items)
    return predicted, unmapped
