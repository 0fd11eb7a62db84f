"""Quotation marks: quoted spans, paragraph and line bounds, and the scare-quote and title refusal (docs/quotes.md, "Quotes")."""
import bisect
import re


OPEN_MARKS = "\u201c\u00ab\u201e"
CLOSE_MARKS = "\u201d\u00bb"
MARKS = re.compile("''|[\"\u201c\u201d\u00ab\u00bb\u201e]")  # '' = two apostrophes (NYT style)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
LINE_BREAK = re.compile(r"\s*\n\s*")
WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
MIN_QUOTE_WORDS = 3
WORK_NOUNS = frozenset("""
book books film films movie movies song songs album albums novel novels show shows series
play article essay poem column headline headlines slogan titled entitled called dubbed named
""".split())
# Complements that carry what is reported when there is no clause: always for COMPLEMENT_VERBS
# (``criticized X``), for other verbs only when they hold a quotation of at least
# MIN_OBJECT_QUOTE_WORDS words (``called X "a total disgrace"``).
MIN_OBJECT_QUOTE_WORDS = 2


def bounds(text, separator):
    bounds, start = [], 0
    for brk in separator.finditer(text):
        bounds.append((start, brk.start()))
        start = brk.end()
    bounds.append((start, len(text)))
    return bounds


def paragraph_bounds(text):
    """[(start, end)] of the paragraphs of text (separated by blank lines)."""
    return bounds(text, PARAGRAPH_BREAK)


def trimmed(text, start, end):
    """Bounds without edge white space and without a trailing comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def quote_spans(text):
    """Yield (start, end) of each quoted content, marks excluded, in text order.

    Marks pair within a line; a closing curly mark opening a line acts as an opening one
    (a common typo); a mark left open runs to the end of its line."""
    for l_start, l_end in bounds(text, LINE_BREAK):
        open_at = None
        for mark in MARKS.finditer(text, l_start, l_end):
            char, pos = mark.group(), mark.start()
            if open_at is None:
                if char not in CLOSE_MARKS or not text[l_start:pos].strip():
                    open_at = mark.end()
            elif char in OPEN_MARKS:
                open_at = mark.end()
            else:
                start, end = trimmed(text, open_at, pos)
                if start < end:
                    yield start, end
                open_at = None
        if open_at is not None:
            start, end = trimmed(text, open_at, l_end)
            if start < end:
                yield start, end


def inside(pos, spans):
    return any(start <= pos < end for start, end in spans)


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def index_of(bounds, pos):
    """Index of the (start, end) bound holding pos (the last one starting at or before it)."""
    return max(bisect.bisect_right(bounds, (pos, float("inf"))) - 1, 0)


def _next_to(text, span, cue):
    """Whether only punctuation and space separate a quoted span from its cue and speaker."""
    speaker = cue["speaker"] or cue["cue"]  # an attribution without a source has its cue only
    first = min(cue["cue"][0], speaker[0])
    last = max(cue["cue"][1], speaker[1])
    if first >= span[1]:
        return not WORD.search(text, span[1], first)
    return last <= span[0] and not WORD.search(text, last, span[0])


def _reported_pair(words, start, end, cue):
    """Whether a short quotation of at least MIN_OBJECT_QUOTE_WORDS words lies inside what its cue reports."""
    content = cue["content"]
    return len(words) >= MIN_OBJECT_QUOTE_WORDS and content is not None and content[0] <= start and end <= content[1]


def is_quotation(text, start, end, cue=None):
    """False for titles of works and for scare quotes: fewer than MIN_QUOTE_WORDS words unless
    the span sits right next to its cue (``"Yes," he said``) or has two words inside what its
    cue reports (``called the plan "a disaster"``)."""
    words = WORD.findall(text, start, end)
    if len(words) < MIN_QUOTE_WORDS and not (cue and (_next_to(text, (start, end), cue) or _reported_pair(words, start, end, cue))):
        return False
    before = WORD.findall(text[max(0, start - 30):start].rpartition("\n")[2])[-2:]
    if any(w in WORK_NOUNS for w in before):
        return False
    long_words = [w for w in words if len(w) > 3]
    title_case = long_words and all(w[0].isupper() for w in long_words)
    return not (title_case and len(words) <= 8 and not re.search(r"[.!?]", text[start:end]))
