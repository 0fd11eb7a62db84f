"""HTML pages to article text plus title, authors, date and section candidates.

The body comes from trafilatura (see ``extract_text``). Metadata comes from the page itself, as
``(source, value)`` candidates in trust order: dates from JSON-LD ``datePublished``,
``article:published_time`` & co., then htmldate's pick from the markup alone (meta, JSON-LD,
``<time>`` and date elements; no URL, no free-text search), all ``metadata``; sections from JSON-LD
``articleSection``, ``article:section`` & co., then breadcrumbs (all ``metadata`` once prepared).
Dates and sections in the page URL are left to ``transforms.prepare``.
"""
import copy
import datetime
import json
import re

import htmldate
import lxml.etree
import lxml.html
import trafilatura

from transforms.dates import TRUST_ORDER, parse_date, resolve_date, utc_offset
from transforms.formats import MalformedInput
from transforms.sections import choose_section
from transforms.source import BinaryInput, InputError, NoBody

MIN_WORDS = 10
_PRECISION_SHARE = 0.5
_TEASER_ENDS = ("…", "[…]", "[...]")  # "Read more" teasers of other articles
_BOILERPLATE_LINE = re.compile(
    r"^(?:.*\bcopyright\b.*|.*©.*|.*all rights reserved.*|-?\s*(?:order reprints|print article|print|share|email|tweet)"
    r"|https?://\S+|write to .{1,80} at \S+@\S+|this copy is for your personal.*|this article has been sent to.*"
    r"|an error has occurred.*|thank you|.*\b(?:subscribe|sign up) (?:to|for) (?:our|the) .*newsletter.*)$", re.I)
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "publishdate", "publish-date", "publish_date", "pubdate", "date",
    "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article.published", "published_time", "originalpublicationdate",
)
_SECTION_META = ("article:section", "og:article:section", "section", "parsely-section", "category")
_AUTHOR_META = ("author", "article:author", "parsely-author", "byl", "sailthru.author", "dc.creator")
_TITLE_META = ("og:title", "twitter:title", "headline")
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")  # the "|---|---|" line under a header row
_TABLE_CELLS = " \u2502 "  # cells of a table row in the body
_NOT_THE_ARTICLE_DATE = ('//header[not(ancestor::article)] | //nav | //*[re:test(concat(@class, " ", @id), '
                         '"(^|[\\s_-])(today|calendar|current-?date|date-?today|clock|weather)([\\s_-]|$)", "i")]')
_REGEX_NS = {"re": "http://exslt.org/regular-expressions"}
_SITE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{1,40}$")


def _meta(tree) -> dict:
    """Lower-cased meta names/properties/itemprops to their first non-empty content."""
    found = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        value = (node.get("content") or "").strip()
        if key and value:
            found.setdefault(key, value)
    return found


def _json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page, with ``@graph`` members flattened."""
    objects = []
    for node in tree.iter("script"):
        if (node.get("type") or "").lower() != "application/ld+json" or not node.text:
            continue
        try:
            data = json.loads(node.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(g for g in item.get("@graph", []) if isinstance(g, dict))
    return objects


def _ld_values(objects, key):
    for item in objects:
        value = item.get(key)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, dict):
                v = v.get("name")
            if isinstance(v, str) and v.strip():
                yield v.strip()


def _breadcrumb(tree, objects) -> str | None:
    for item in objects:
        if item.get("@type") == "BreadcrumbList":
            names = []
            for element in item.get("itemListElement") or []:
                if isinstance(element, dict):
                    target = element.get("item")
                    name = element.get("name") or (target.get("name") if isinstance(target, dict) else None)
                    if isinstance(name, str) and name.strip():
                        names.append(name.strip())
            if names:
                return " > ".join(names)
    for node in tree.xpath('//*[contains(translate(@class, "BREADCUMB", "breadcumb"), "breadcrumb")]')[:1]:
        text = " > ".join(t.strip() for t in node.xpath(".//a//text()") if t.strip())
        if text:
            return text[:200]
    return None


def extract_text(html: str, url: str | None = None) -> str:
    """The article text of a page: trafilatura's precision mode unless it keeps under half the
    words of its default mode (then the default), without boilerplate and teaser lines;
    paragraphs are separated by a blank line."""
    default = trafilatura.extract(html, url=url, include_comments=False) or ""
    precise = trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""
    text = precise if len(precise.split()) >= _PRECISION_SHARE * len(default.split()) else default
    lines = [_table_row(line) if _TABLE_ROW.match(line.strip()) else line for line in text.split("\n")
             if not _TABLE_RULE.match(line.strip())]
    lines = [line for line in lines if not _BOILERPLATE_LINE.match(line.strip())
             and (_TABLE_CELLS in line or not _is_link_title(line))]
    kept = [line for i, line in enumerate(lines) if i == 0 or not line.rstrip().endswith(_TEASER_ENDS)]
    return "\n\n".join(kept)  # paragraphs, as transforms.layout expects them


def _table_row(line: str) -> str:
    """"| Rovers | 10 | 25 |" (trafilatura's table row) -> "Rovers \u2502 10 \u2502 25": kept, and
    not taken for a list of link titles."""
    return _TABLE_CELLS.join(cell.strip() for cell in line.strip().strip("|").split("|"))


def _is_link_title(line: str) -> bool:
    """"Milan Design Week 2018 | FLOS pays tribute": a related-article link, not a sentence."""
    return " | " in line and len(line.split()) <= 25 and not line.rstrip().endswith((".", "!", "?", '"', "”"))


def _page_title(tree) -> str | None:
    """The first ``<h1>``, else ``<title>`` without a trailing " | Site" or " - Site"."""
    heading = " ".join(" ".join(tree.xpath("(//h1)[1]//text()")).split())
    if heading:
        return heading
    title = " ".join((tree.findtext(".//title") or "").split())
    return _SITE_SUFFIX.sub("", title) or None


def _page_url(tree, meta) -> str | None:
    """The page's own absolute URL: ``<link rel=canonical>``, else ``og:url``."""
    links = tree.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
    for url in [*links, meta.get("og:url", "")]:
        url = url.strip()
        if url.lower().startswith(("http://", "https://")):
            return url
    return None


def _htmldate(tree) -> tuple[str, str] | None:
    """``(source, date)`` of htmldate's pick from the page's markup only: its URL and free-text
    search would guess (a bare year in the text becomes January 1st); ``url=""`` keeps it off
    the canonical URL. Site headers, navigation and "today"/calendar widgets are left out: their
    date is the day of the visit. The source is ``metadata`` when an attribute holds the date
    (``<time datetime>``, a meta tag htmldate knows), else ``text``: it read a visible date."""
    tree = copy.deepcopy(tree)
    for node in tree.xpath(_NOT_THE_ARTICLE_DATE, namespaces=_REGEX_NS):
        if node.getparent() is not None:
            node.getparent().remove(node)
    try:
        found = htmldate.find_date(tree, url="", original_date=True, extensive_search=False)
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None
    if not found:
        return None
    in_markup = tree.xpath(f'//@*[contains(., "{found}") or contains(., "{found.replace("-", "")}")]')
    return ("metadata" if in_markup else "text"), found


def parse_page(html: str, url: str | None = None) -> dict:
    """``{text, title, url, authors, date_candidates, section_candidates, language}`` of a page
    (``url`` from ``<link rel=canonical>`` or ``og:url``).

    Raises ``MalformedInput`` when the markup cannot be parsed and ``NoBody`` when the page
    holds no article text.
    """
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise MalformedInput("extract", f"not parseable as HTML ({error}); check that the file is HTML") from None
    meta, objects = _meta(tree), _json_ld(tree)
    dates = [("metadata", v) for v in _ld_values(objects, "datePublished")]
    dates += [("metadata", meta[k]) for k in _DATE_META if k in meta]
    found = _htmldate(tree)
    dates += [found] if found else []
    sections = [("metadata", v) for v in _ld_values(objects, "articleSection")]
    sections += [("metadata", meta[k]) for k in _SECTION_META if k in meta]
    crumb = _breadcrumb(tree, objects)
    sections += [("breadcrumb", crumb)] if crumb else []
    authors = list(_ld_values([o for o in objects if "datePublished" in o or "headline" in o], "author"))
    authors = authors or [meta[k] for k in _AUTHOR_META if k in meta and not meta[k].startswith("http")][:1]
    title = (next(_ld_values(objects, "headline"), None) or next((meta[k] for k in _TITLE_META if k in meta), None)
             or _page_title(tree))
    text = extract_text(html, url)
    if len(text.split()) < MIN_WORDS:
        raise NoBody("extract", f"no article text found in the page (under {MIN_WORDS} words outside "
                             "navigation and boilerplate); if it is an article, report the URL so "
                             "the extractor can be tuned")
    return {
        "text": text,
        "title": title,
        "url": _page_url(tree, meta),
        "authors": authors,
        "date_candidates": dates,
        "section_candidates": sections,
        "language": (tree.get("lang") or "").strip().lower() or None,
    }


def extract_html(src: dict, crawl_date: datetime.date) -> dict:
    """``src`` with ``text`` extracted from its ``html`` and the page's metadata filling the
    title, URL (canonical or ``og:url``), date, section, authors and language the input did not give.

    ``date_raw`` becomes the page date ``_pick_date`` picks (as written, keeping its timezone) and
    ``date_source`` where it came from; dates and sections in the URL are left to ``transforms.prepare``.
    """
    try:
        page = parse_page(src["html"], src["url"])
    except InputError as error:
        position = src["source_position"]
        where = src["source_uri"] + ("" if position is None else
                                     f" (WARC offset {position})" if src["source_format"] == "warc" else f" record {position}")
        raise type(error)(error.stage, f"{where}: {error}") from None
    date_source, chosen = (None, src["date_raw"]) if src["date_raw"] else _pick_date(page["date_candidates"], crawl_date)
    given = {key: src[key] for key in ("title", "url", "section_raw", "language") if src[key]}
    return {**src, "text": page["text"], "title": page["title"], "url": page["url"], "date_raw": chosen,
            "date_source": date_source, "section_raw": choose_section(page["section_candidates"])[1],
            "language": page["language"], "authors": src["authors"] or page["authors"], **given}


def _pick_date(candidates, crawl_date: datetime.date) -> tuple[str | None, str | None]:
    """``(source, value)`` of the date ``resolve_date`` trusts most among the page's candidates.
    A time labelled UTC gives way to one of the same source with a real offset less than a day
    apart: it keeps the local day, and sites often label local time as UTC."""
    usable = [(name, value) for name, value in candidates if resolve_date([(name, value)], crawl_date)[0]]
    if not usable:
        return None, None
    name, value = min(usable, key=lambda candidate: TRUST_ORDER.index(candidate[0]))
    first = parse_date(value)[1]
    if first is not None and utc_offset(value) == datetime.timedelta(0):
        for other_name, other in usable:
            moment, offset = parse_date(other)[1], utc_offset(other)
            if other_name == name and offset and moment and abs(moment - first) < datetime.timedelta(days=1):
                return other_name, other
    return name, value


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def decode_html(data: bytes, where: str, declared: str | None = None) -> str:
    """Text of an HTML page: the declared charset (HTTP header, then ``<meta>``), else UTF-8,
    else Windows-1252. Raises ``BinaryInput`` for content with NUL bytes."""
    if b"\x00" in data[:65536]:
        raise BinaryInput("read", f"{where}: holds NUL bytes, so it is binary, not HTML; "
                                  "check the file or pass the right --input_format")
    meta = _CHARSET.search(data[:4096])
    for charset in (declared, meta.group(1).decode("ascii") if meta else None, "utf-8"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")
