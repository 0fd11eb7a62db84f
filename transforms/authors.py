"""Bylines to author names: "By Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]."""
import re

_PREFIX = re.compile(r"^\s*(?:written\s+|reported\s+|posted\s+)?by(?:[:\s]+|$)", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\||/|\bwith\b)\s*", re.I)
_NOT_NAMES = re.compile(
    r"^(?:the\s+)?(?:associated press|ap|reuters|afp|bloomberg|upi|staff|staff writer|"
    r"staff reporter|reporter|correspondent|editor|contributor|writer|news service|"
    r"wire services?|updated|published|.*\b(?:staff|correspondent|editor|writer|reporter)s?)$",
    re.I)
_EMAIL = re.compile(r"\S+@\S+")
_MAX_NAME_CHARS = 80


def _names(byline: str) -> list[str]:
    byline = _EMAIL.sub(" ", byline)
    byline = _PREFIX.sub("", byline.strip())
    names = []
    for part in _SPLIT.split(byline):
        part = _PREFIX.sub("", part).strip(" .-–—\t\n")
        part = re.sub(r"\s+", " ", part)
        if not part or len(part) > _MAX_NAME_CHARS or _NOT_NAMES.match(part):
            continue
        if not any(c.isalpha() for c in part):
            continue
        names.append(part)
    return names


def parse_authors(value) -> list[str]:
    """Author names from a byline string or a list of bylines, deduplicated in order.

    Drops "By", e-mail addresses, agencies and roles ("Staff Writer", "Reuters").
    """
    bylines = [value] if isinstance(value, str) else list(value or [])
    seen, names = set(), []
    for byline in bylines:
        if isinstance(byline, dict):
            byline = byline.get("name")
        if not isinstance(byline, str):
            continue
        for name in _names(byline):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names
