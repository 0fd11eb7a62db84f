"""Section names onto a small vocabulary fitting the IPTC Media Topics top level.

``VOCABULARY`` maps each normalized section to its IPTC Media Topic (``None`` for the news
desks ``world``, ``national``, ``local`` and ``opinion``, which are places or genres, not
topics). ``normalize_section("Economy & Business")`` is ``"business"``; the caller keeps the
raw value.
"""
import re
import urllib.parse

VOCABULARY = {
    "business": "medtop:04000000 economy, business and finance",
    "politics": "medtop:11000000 politics",
    "sport": "medtop:15000000 sport",
    "technology": "medtop:13000000 science and technology",
    "science": "medtop:13000000 science and technology",
    "entertainment": "medtop:01000000 arts, culture, entertainment and media",
    "health": "medtop:07000000 health",
    "education": "medtop:05000000 education",
    "environment": "medtop:06000000 environment",
    "crime": "medtop:02000000 crime, law and justice",
    "weather": "medtop:17000000 weather",
    "lifestyle": "medtop:10000000 lifestyle and leisure",
    "religion": "medtop:12000000 religion",
    "world": None,
    "national": None,
    "local": None,
    "opinion": None,
}

_VARIANTS = {
    "business": "business biz markets market economy economics finance financial money "
                "companies company earnings deals dealbook industry personal-finance "
                "economy-business business-economy wealth investing stocks banking",
    "politics": "politics political government election elections congress whitehouse "
                "white-house parliament campaign policy",
    "sport": "sport sports football soccer basketball baseball cricket tennis golf rugby nfl "
             "nba mlb nhl olympics athletics boxing f1 formula1 motorsport hockey",
    "technology": "technology tech sci-tech scitech science-technology tech-science "
                  "gadgets internet computing innovation cyber digital",
    "science": "science space nature research",
    "entertainment": "entertainment arts culture showbiz celebrity celebrities movies movie film "
                     "films music tv television media books theater theatre arts-culture "
                     "entertainment-arts style-culture",
    "health": "health medicine medical wellness coronavirus covid covid-19 healthcare",
    "education": "education schools school universities",
    "environment": "environment climate energy-environment green planet",
    "crime": "crime justice law courts police legal",
    "weather": "weather",
    "lifestyle": "lifestyle life living travel food fashion style leisure home-garden",
    "religion": "religion faith",
    "world": "world international global foreign europe asia africa americas middle-east "
             "world-news worldnews",
    "national": "national nation us u.s. uk u.k. domestic us-news uk-news",
    "local": "local metro region regional city",
    "opinion": "opinion opinions editorial editorials commentary comment columns column "
               "letters op-ed analysis",
}
_LOOKUP = {variant: section for section, words in _VARIANTS.items() for variant in words.split()}

_PART_SPLIT = re.compile(r"\s*(?:[/>|›»:]|\s-\s)\s*")
_WORD_SPLIT = re.compile(r"\s*(?:&|\band\b|,|\+)\s*|\s+")


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower()).strip("-")


def normalize_section(raw) -> str | None:
    """The vocabulary section for a raw section name, breadcrumb or URL path; else None.

    Whole names are looked up first ("Economy & Business" -> business); then the parts of a
    breadcrumb or path from the most specific one ("News > Sport" -> sport); then the words, topics before desks ("U.S. Politics" -> politics, not national).
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    raw = raw.strip()[:200]
    whole = _key(raw)
    if whole in _LOOKUP:
        return _LOOKUP[whole]
    parts = [p for p in _PART_SPLIT.split(raw) if p.strip()]
    for part in reversed(parts):
        if _key(part) in _LOOKUP:
            return _LOOKUP[_key(part)]
    found = [_LOOKUP[_key(w)] for part in reversed(parts) for w in _WORD_SPLIT.split(part) if _key(w) in _LOOKUP]
    topical = [section for section in found if VOCABULARY[section]]
    return (topical or found or [None])[0]


_NOT_SECTIONS = {"news", "article", "articles", "story", "stories", "home", "index", "en", "www",
                 "amp", "content", "post", "posts", "blog", "blogs"}


def url_section(url: str | None) -> str | None:
    """The first URL path segment naming a section: ``/business/2017/...`` -> ``"business"``.

    The last segment (the page itself) is not considered.
    """
    path = urllib.parse.urlsplit(url or "").path
    for segment in path.split("/")[:-1]:
        segment = segment.strip().lower()
        if segment and segment not in _NOT_SECTIONS and normalize_section(segment):
            return segment
    return None


def choose_section(candidates: list[tuple[str, str | None]]) -> tuple[str | None, str | None, str | None]:
    """(section, raw value, source) from (source, raw) candidates in order of trust.

    The first candidate that maps onto the vocabulary wins; when none does, the first raw
    value present is kept with section None, so that it is not lost.
    """
    present = [(source, raw.strip()) for source, raw in candidates if isinstance(raw, str) and raw.strip()]
    for source, raw in present:
        section = normalize_section(raw)
        if section:
            return section, raw, source
    return (None, present[0][1], present[0][0]) if present else (None, None, None)
