"""Map offsets in a record's normalized ``body`` back onto the gold text it came from.

The pipeline collapses whitespace, joins wrapped lines, drops a dateline, a repeated title and
trailing footers, and separates paragraphs by a blank line; words stay as written. Each body
paragraph is found in the gold text as its words with ``\\s+`` between them, in order.
"""
import re


def body_to_gold(body: str, gold: str) -> list[int | None]:
    """For each body position, the gold position of the same character (None if unaligned).

    A space between two words maps to the start of the gold whitespace run; the blank lines
    between paragraphs and paragraphs not found in ``gold`` map to None."""
    positions: list[int | None] = [None] * len(body)
    body_start, cursor = 0, 0
    for paragraph in body.split("\n\n"):
        words = list(re.finditer(r"\S+", paragraph))
        pattern = r"\s+".join(f"({re.escape(w.group())})" for w in words)
        found = re.compile(pattern).search(gold, cursor) if words else None
        if found:
            for k, word in enumerate(words, start=1):
                for j in range(len(word.group())):
                    positions[body_start + word.start() + j] = found.start(k) + j
                if k < len(words):
                    for j in range(word.end(), words[k].start()):
                        positions[body_start + j] = found.end(k)
            cursor = found.end()
        body_start += len(paragraph) + 2
    return positions


def map_span(positions: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    """The gold (start, end) of a non-empty body span, or None when either edge is unaligned."""
    if not 0 <= start < end <= len(positions):
        return None
    first, last = positions[start], positions[end - 1]
    if first is None or last is None:
        return None
    return first, last + 1


def map_item(item: dict, positions: list[int | None], prefixes: tuple[str, ...]) -> tuple[dict | None, int]:
    """``item`` with each ``<prefix>start_char``/``end_char`` pair moved to gold offsets, and the
    number of spans that could not be mapped.

    The first prefix is the item's own span: unmapped, the item is dropped (None). Any other
    unmapped span (a speaker, a cue) becomes None."""
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
