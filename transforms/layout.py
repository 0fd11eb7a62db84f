"""Split a normalized plain-text article into title, dateline, body paragraphs and footer.

Three layouts are recognized:
- web: title line, blank line, paragraphs (the first may open with ``WASHINGTON -- ``),
  a footer ``<Section> on <MM/DD/YYYY>`` and trailing site boilerplate;
- plain: title line, blank line, paragraphs;
- wire: ``TITLE`` then indented ``WASHINGTON, Feb 26 - body ...`` paragraphs and a
  ``Reuter`` sign-off.
"""
import re
from dataclasses import dataclass

from transforms.source import NoBody

MAX_TITLE_CHARS = 300

_FOOTER = re.compile(r"^(?P<section>[A-Z][\w&'’ ,./-]{0,60}?) on (?P<date>\d{1,2}/\d{1,2}/\d{4})$")
_SIGN_OFF = re.compile(r"^(?:-+ ?)?(?:Reuters?|REUTERS?|AP|AFP|UPI|Bloomberg|\(?(?:AP|AFP|Reuters)\)?)\.{0,3}$")
_BOILERPLATE = re.compile(
    r"^(?:upcoming events|advertisement|related articles?|related stories|related coverage|read more|"
    r"share this( article| story)?|click here.*|subscribe( now| today)?.*|sign up for .*newsletter.*|"
    r"follow us on .*|copyright ©.*|© \d{4}.*|all rights reserved\.?|most popular|recommended( for you)?|"
    r"comments?|print|email|top stories)$",
    re.IGNORECASE,
)
_PLACE = r"[A-Z][A-Z.'’/-]*(?: [A-Z][A-Z.'’/-]*){0,4}"
_AGENCY = r"\((?:CNN|AP|AFP|UPI|Reuters|Thomson Reuters Foundation|Bloomberg|Xinhua|dpa|ANI|PTI|IANS|CNS|RNS)\)"
_DATELINES = (
    # WASHINGTON, Feb 26 -     Oklahoma City, March 3 (Reuters) -     KIEL, West Germany, March 5 -
    re.compile(r"^\**(?P<place>[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,4})(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?)?, (?P<date>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}),?(?: \([A-Za-z]+\))? [-–—]+(?: |$)"),
    # WASHINGTON --     NEW YORK (Reuters) -     LONDON (AP) —
    re.compile(rf"^(?P<place>{_PLACE})(?:, [A-Z][A-Za-z.]*)?(?: \([A-Za-z. ]+\))? ?(?:--|[-–—])(?: |$)"),
    # WASHINGTON (CNN)The House ...     Washington (CNN) -- The House ...
    re.compile(rf"^(?P<place>[A-Z][A-Za-z.'’/-]*(?: [A-Z][A-Za-z.'’/-]*){{0,3}})(?:, [A-Z][A-Za-z.]*)? {_AGENCY}(?: ?(?:--|[-–—]))? ?"),
)


WRAP_WIDTH = 100  # hard-wrapped text (wire copy, e-mail) keeps its lines under this


@dataclass
class Layout:
    """The parts of a plain-text article; ``body`` paragraphs are joined by blank lines."""

    title: str | None
    body: str
    dateline: str | None = None          # the place as written: "WASHINGTON"
    dateline_date: str | None = None     # "Feb 26", when the dateline carries one
    footer_section: str | None = None    # "Business"
    footer_date: str | None = None       # "10/17/2017"
    sign_off: str | None = None          # "Reuter"


def parse_layout(text: str, title: str | None = None, take_title: bool = True) -> Layout:
    """Split normalized ``text``; when ``title`` is given, or ``take_title`` is false (a record
    whose input gives no title), the text holds only the body."""
    lines = text.split("\n")
    if title is None and take_title:
        title, lines = _take_title(lines)
    paragraphs = _paragraphs(lines)
    if paragraphs and title and _folded(paragraphs[0]) == _folded(title):
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the text
    layout = Layout(title=title, body="")
    paragraphs = _strip_tail(paragraphs, layout)
    paragraphs = [p for p in paragraphs if not _BOILERPLATE.match(p)]
    if paragraphs:
        paragraphs[0] = _take_dateline(paragraphs[0], layout)
    layout.body = "\n\n".join(p for p in paragraphs if p)
    if not layout.body:
        raise NoBody("layout", "no article body left after the title, dateline, footer and boilerplate; the input holds a headline or boilerplate only")
    return layout


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _take_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The first line is a title when a blank or an indented line follows it."""
    if len(lines) < 2:
        return None, lines
    first, following = lines[0].strip(), lines[1]
    if len(first) <= MAX_TITLE_CHARS and (not following.strip() or following.startswith(" ")):
        return first, lines[1:]
    return None, lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines and indented lines start paragraphs. The lines of hard-wrapped text (none
    longer than WRAP_WIDTH) are joined with a space; in other text every line is a paragraph."""
    wrapped = all(len(line) <= WRAP_WIDTH for line in lines)
    paragraphs, current = [], []
    for line in lines:
        if not line.strip() or line.startswith(" ") or not wrapped:
            if current:
                paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _strip_tail(paragraphs: list[str], layout: Layout) -> list[str]:
    """Remove the footer, the sign-off and boilerplate from the end of the article."""
    while paragraphs:
        last = paragraphs[-1]
        footer = _FOOTER.match(last)
        if footer and layout.footer_date is None:
            layout.footer_section, layout.footer_date = footer["section"].strip(), footer["date"]
        elif _SIGN_OFF.match(last) and layout.sign_off is None:
            layout.sign_off = last
        elif not _BOILERPLATE.match(last):
            return paragraphs
        paragraphs = paragraphs[:-1]
    return paragraphs


def _take_dateline(paragraph: str, layout: Layout) -> str:
    for pattern in _DATELINES:
        match = pattern.match(paragraph)
        if match:
            layout.dateline = match["place"]
            layout.dateline_date = match.groupdict().get("date")
            return paragraph[match.end():]
    return paragraph


def normalize_place(place: str | None) -> str | None:
    """'NEW YORK' -> 'New York', 'WILKES-BARRE' -> 'Wilkes-Barre'."""
    if not place:
        return None
    return re.sub(r"[A-Za-z]+", lambda word: word[0].capitalize(), place.lower())
