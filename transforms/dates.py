"""Publication dates: parse the forms inputs give them in, and pick the most trusted one.

``resolve_date`` takes ``(source, value)`` candidates; sources are tried in the trust order
``TRUST_ORDER`` and, within a source, in the order given. A candidate counts only if it parses
to a day between 1900-01-01 and the crawl date.
"""
import datetime as dt
import email.utils
import re

TRUST_ORDER = ("metadata", "footer", "url", "dateline", "text")
EARLIEST = dt.date(1900, 1, 1)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")], start=1)
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?", re.I)
_US = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b")
_URL = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:[/-]|\.html?|$)"
    r"|[/_-](?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?:[/_-]|\.html?|$)")
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.I)
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_WIRE = re.compile(r"\b(?P<day>\d{1,2})-" + _MONTH + r"-(?P<year>\d{4})\b", re.I)


def _day(year, month, day):
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def _tz(text):
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    try:
        return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    except ValueError:
        return None


def _iso(text):
    m = _ISO.search(text)
    if not m:
        return None
    day = _day(m["y"], m["m"], m["d"])
    if day is None:
        return None
    tz = _tz(m["tz"])
    if m["H"] is None or tz is None:
        return day, None
    try:
        local = dt.datetime(day.year, day.month, day.day, int(m["H"]), int(m["M"]), int(m["S"] or 0), tzinfo=tz)
    except ValueError:
        return day, None
    return day, local.astimezone(dt.timezone.utc)


def utc_offset(text: str) -> dt.timedelta | None:
    """The UTC offset an ISO 8601 time gives (``Z`` is zero), None without a time or zone."""
    m = _ISO.search(text or "")
    tz = _tz(m["tz"]) if m and m["H"] is not None else None
    return tz.utcoffset(None) if tz else None


def _epoch(text):
    """Unix time in seconds (10 digits) or milliseconds (13 digits), as JSON dumps give it."""
    if not re.fullmatch(r"\d{10}(?:\d{3})?(?:\.\d+)?", text):
        return None
    seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    return moment.date(), moment


def _rfc2822(text):
    if not re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.date(), None
    return moment.date(), moment.astimezone(dt.timezone.utc)


def _us(text):
    m = _US.search(text)
    if not m:
        return None
    year = int(m["y"])
    year += 0 if year >= 100 else (1900 if year >= 50 else 2000)
    day = _day(year, m["m"], m["d"])
    return (day, None) if day else None


def _written(text):
    for pattern in (_DAY_MONTH, _MONTH_DAY, _WIRE):
        m = pattern.search(text)
        if not m:
            continue
        day = _day(m["year"], _MONTHS[m["month"].lower()], m["day"])
        if day:
            return day, None
    return None


def parse_url_date(url: str):
    """The day an article URL names, e.g. ``/2017/10/17/``, ``/20171017/`` or ``-20171017.html``; else None."""
    m = _URL.search(url or "")
    if not m:
        return None
    return _day(m["y"] or m["y2"], m["m"] or m["m2"], m["d"] or m["d2"])


def parse_date(text: str):
    """``(local day, UTC datetime | None)`` for a date string, or None if none is found.

    Handles ISO 8601 (with or without time and zone), RFC 2822, US ``MM/DD/YYYY``,
    ``March 3, 2017``, ``3 March 2017``, ``3-MAR-1987`` and Unix
    time in seconds or milliseconds (``1508248800``).
    The UTC datetime is set only when the input gives a time with a timezone.
    """
    if not text or not isinstance(text, str):
        return None
    text = text.strip()[:200]
    for parse in (_epoch, _iso, _rfc2822, _us):
        found = parse(text)
        if found:
            return found
    return _written(text)


def _parse_candidate(source, value):
    if source == "url":
        day = parse_url_date(value)
        return (day, None) if day else None
    return parse_date(value)


def resolve_date(candidates, crawl_date: dt.date):
    """``(published_date, published_at_utc, source)`` from ``(source, value)`` candidates.

    Trust order: metadata > footer > url > dateline > text. Dates after ``crawl_date`` or
    before 1900 are ignored, and so are dates without a year (a wire dateline's "March 3"):
    guessing the year would date archives wrongly. ``(None, None, None)`` when no candidate
    holds a usable date.
    """
    for trusted in TRUST_ORDER:
        for source, value in candidates:
            if source != trusted or not value:
                continue
            found = _parse_candidate(source, value)
            if found and EARLIEST <= found[0] <= crawl_date:
                return found[0], found[1], source
    return None, None, None
